"""E-mail: moderators hear when comments wait (after commit, throttled); commenters who asked
hear the decision; a mail failure is logged and never costs a comment; no header injection."""

import logging
import re
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from comments.models import Comment
from comments.services import approve, mark_spam, reject

LOCMEM_SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


@pytest.fixture
def moderator_mail(settings):
    settings.COMMENTS_MODERATOR_EMAILS = ["desk@newsroom.example"]
    settings.COMMENTS_MODERATOR_MAIL_INTERVAL = 300


def test_moderators_are_told_after_the_comment_is_committed(
    submit, article, moderator_mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit(article)
    assert mail.outbox == []

    for callback in callbacks:
        callback()

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["desk@newsroom.example"]
    assert mail.outbox[0].subject == "[Newsportal] Comments are waiting for review"
    assert "/admin/comments/comment/" in mail.outbox[0].body


def test_moderators_get_at_most_one_mail_per_interval_however_many_comments_arrive(
    submit, article, moderator_mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            submit(article, body=f"Comment {n}", email=f"r{n}@example.com")

    assert len(mail.outbox) == 1


def test_without_a_configured_list_the_moderators_group_is_mailed(
    submit, article, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(article)

    assert mail.outbox[0].to == ["moderator@newsroom.example"]


def test_superusers_are_told_too(submit, article, superuser, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(article)

    assert superuser.email in mail.outbox[0].to


def test_spam_from_the_block_list_does_not_wake_the_moderators(
    submit, article, moderator_mail, django_capture_on_commit_callbacks
):
    from comments.models import ModerationPolicy

    ModerationPolicy.objects.create(blocked_words="casino")
    with django_capture_on_commit_callbacks(execute=True):
        submit(article, body="Best casino deals")

    assert mail.outbox == []


def test_a_commenter_who_asked_is_told_of_approval(
    article, make_comment, moderator, django_capture_on_commit_callbacks
):
    comment = make_comment(article, notify_on_decision=True, email="maria@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        approve(comment=comment, by=moderator)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["maria@example.com"]
    assert message.subject == "[Newsportal] Your comment has been reviewed"
    assert f"#comment-{comment.pk}" in message.body
    assert "/comments/status/" in message.body


def test_a_commenter_who_asked_is_told_the_reason_for_a_rejection(
    article, make_comment, moderator, django_capture_on_commit_callbacks
):
    comment = make_comment(article, notify_on_decision=True)

    with django_capture_on_commit_callbacks(execute=True):
        reject(comment=comment, by=moderator, reason="Please stay on topic")

    assert "Reason: Please stay on topic" in mail.outbox[0].body


def test_nobody_is_mailed_who_did_not_ask_or_was_marked_as_spam(
    article, make_comment, moderator, django_capture_on_commit_callbacks
):
    quiet = make_comment(article, notify_on_decision=False)
    spammer = make_comment(article, notify_on_decision=True)

    with django_capture_on_commit_callbacks(execute=True):
        approve(comment=quiet, by=moderator)
        mark_spam(comment=spammer, by=moderator)

    assert mail.outbox == []


def test_a_mail_failure_keeps_the_comment_and_is_logged_without_personal_data(
    reader, article, comment_form_data, moderator_mail, caplog, django_capture_on_commit_callbacks
):
    data = comment_form_data(article, body="Words that must not reach the log")
    with (
        mock.patch("comments.notifications.send_mail", side_effect=OSError("smtp down")),
        caplog.at_level(logging.ERROR, logger="comments.notifications"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = reader.post(reverse("comments:post", args=[article.pk]), data, follow=True)

    assert response.status_code == 200
    assert "Comment sent successfully!" in response.content.decode()
    assert Comment.objects.count() == 1
    assert "moderator mail failed: OSError" in caplog.text
    assert "maria@example.com" not in caplog.text
    assert "Words that must not reach the log" not in caplog.text


def test_a_decision_mail_failure_keeps_the_decision(
    article, make_comment, moderator, caplog, django_capture_on_commit_callbacks
):
    comment = make_comment(article, notify_on_decision=True, email="maria@example.com")

    with (
        mock.patch(LOCMEM_SEND, side_effect=OSError("smtp down")),
        caplog.at_level(logging.ERROR),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert approve(comment=comment, by=moderator)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert f"decision mail for comment {comment.pk} failed: OSError" in caplog.text
    assert "maria@example.com" not in caplog.text


def test_no_reader_text_reaches_a_mail_header(
    reader,
    article,
    comment_form_data,
    make_comment,
    moderator,
    moderator_mail,
    django_capture_on_commit_callbacks,
):
    evil_name = "Eve\r\nBcc: victim@example.com"
    response = reader.post(
        reverse("comments:post", args=[article.pk]), comment_form_data(article, name=evil_name)
    )
    assert response.status_code == 200  # a name on two lines is refused outright

    comment = make_comment(article, name="Eve Bcc: victim@example.com", notify_on_decision=True)
    with django_capture_on_commit_callbacks(execute=True):
        approve(comment=comment, by=moderator)

    for message in mail.outbox:
        headers = message.message().as_string().split("\n\n", 1)[0]
        assert "victim" not in headers
        assert not re.search(r"^Bcc:", headers, re.MULTILINE)


def test_a_comment_held_back_by_the_interval_gets_its_mail_from_the_reminder(
    submit, article, moderator_mail, django_capture_on_commit_callbacks
):
    from django.core.cache import cache
    from django.core.management import call_command

    from comments.notifications import THROTTLE_KEY

    with django_capture_on_commit_callbacks(execute=True):
        submit(article, body="First", email="a@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        submit(article, body="Second, inside the interval", email="b@example.com")
    assert len(mail.outbox) == 1

    call_command("remind_moderators")
    assert len(mail.outbox) == 1  # the interval is not over yet

    cache.delete(THROTTLE_KEY)  # the interval is over
    call_command("remind_moderators")
    assert len(mail.outbox) == 2
    assert "2 comments" in mail.outbox[1].body

    cache.delete(THROTTLE_KEY)
    call_command("remind_moderators")
    assert len(mail.outbox) == 2  # nothing arrived since the last mail


def test_a_failed_moderator_mail_does_not_hold_back_the_next_one(
    submit, article, moderator_mail, django_capture_on_commit_callbacks
):
    with (
        mock.patch("comments.notifications.send_mail", side_effect=OSError("smtp down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        submit(article, body="First", email="a@example.com")
    assert Comment.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        submit(article, body="Second", email="b@example.com")

    assert len(mail.outbox) == 1


def test_a_broken_mail_server_costs_a_bulk_decision_one_failure_not_one_per_comment(
    moderator_client, article, make_comment, caplog, django_capture_on_commit_callbacks
):
    comments = [
        make_comment(article, notify_on_decision=True, email=f"r{n}@example.com") for n in range(5)
    ]

    with (
        mock.patch(LOCMEM_SEND, side_effect=TimeoutError("smtp hangs")) as send,
        caplog.at_level(logging.ERROR),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = moderator_client.post(
            "/admin/comments/comment/",
            {"action": "approve_selected", "_selected_action": [c.pk for c in comments]},
        )

    assert response.status_code == 302
    assert Comment.objects.approved().count() == 5
    assert send.call_count == 1
    assert "4 more not sent" in caplog.text
    assert "@example.com" not in caplog.text


def test_commenters_of_a_bulk_decision_get_one_mail_each(
    moderator_client, article, make_comment, django_capture_on_commit_callbacks
):
    comments = [
        make_comment(article, notify_on_decision=True, email=f"r{n}@example.com") for n in range(3)
    ]

    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(
            "/admin/comments/comment/",
            {"action": "approve_selected", "_selected_action": [c.pk for c in comments]},
        )

    assert sorted(m.to[0] for m in mail.outbox) == [f"r{n}@example.com" for n in range(3)]
