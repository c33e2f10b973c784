"""E-mail: every mail is queued with the change that causes it and sent by the worker. Moderators
hear when comments wait (one mail each, throttled); commenters who asked, at a confirmed
address, hear the decision; a refused address never stops another mail; no header injection."""

import logging
import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from articles.models import Article
from comments.models import Comment, ModerationPolicy
from comments.services import approve, mark_spam, reject
from tests.comment_fixtures import as_shown
from tests.mail_helpers import queued, run_mail_queue, verify


@pytest.fixture
def moderator_mail(settings):
    settings.COMMENTS_MODERATOR_EMAILS = ["desk@newsroom.example"]
    settings.COMMENTS_MODERATOR_MAIL_INTERVAL = 300


def test_moderators_are_told_through_the_queue_not_during_the_request(
    submit, committed, article, moderator_mail
):
    committed(submit, article)

    assert mail.outbox == []
    assert [m["to"] for m in queued("moderators")] == ["desk@newsroom.example"]

    run_mail_queue()

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["desk@newsroom.example"]
    assert mail.outbox[0].subject == "[Newsportal] Comments are waiting for review"
    assert "/admin/comments/comment/" in mail.outbox[0].body
    html = mail.outbox[0].alternatives[0]
    assert html.mimetype == "text/html"
    assert "Review the queue" in html.content


def test_each_moderator_gets_a_mail_of_their_own(submit, committed, article, settings):
    settings.COMMENTS_MODERATOR_EMAILS = ["a@newsroom.example", "b@newsroom.example"]

    committed(submit, article)
    run_mail_queue()

    assert sorted(m.to for m in mail.outbox) == [["a@newsroom.example"], ["b@newsroom.example"]]
    for message in mail.outbox:
        assert message.cc == [] and message.bcc == []


def test_moderators_get_at_most_one_mail_per_interval_however_many_comments_arrive(
    submit, committed, article, moderator_mail
):
    for n in range(5):
        committed(submit, article, body=f"Comment {n}", email=f"r{n}@example.com")
    run_mail_queue()

    assert len(mail.outbox) == 1


def test_without_a_configured_list_the_moderators_group_and_superusers_are_mailed(
    submit, committed, article, moderator, superuser
):
    committed(submit, article)
    run_mail_queue()

    assert sorted(m.to[0] for m in mail.outbox) == [superuser.email, moderator.email]


def test_spam_from_the_block_list_does_not_wake_the_moderators(
    submit, committed, article, moderator_mail
):
    ModerationPolicy.objects.create(blocked_words="casino")
    spam = committed(submit, article, body="Best casino deals")
    run_mail_queue()

    assert spam.status == Comment.Status.SPAM
    assert queued() == []
    assert mail.outbox == []


def test_a_moderator_mail_whose_queue_was_emptied_meanwhile_is_not_sent(
    submit, committed, article, moderator_mail, moderator
):
    comment = committed(submit, article)
    assert [m["to"] for m in queued("moderators")] == ["desk@newsroom.example"]
    approve(comment=comment, by=moderator)
    run_mail_queue()

    assert mail.outbox == []


def test_a_commenter_who_asked_at_a_confirmed_address_is_told_of_approval(
    article, make_comment, moderator
):
    verify("maria@example.com")
    comment = make_comment(article, notify_on_decision=True, email="maria@example.com")

    approve(comment=comment, by=moderator)
    run_mail_queue()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["maria@example.com"]
    assert message.subject == "[Newsportal] Your comment has been reviewed"
    assert f"#comment-{comment.pk}" in message.body
    assert "/comments/status/" in message.body
    assert "/comments/stop-mail/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_an_unconfirmed_address_gets_no_decision_mail(article, make_comment, moderator):
    comment = make_comment(article, notify_on_decision=True, email="maria@example.com")

    approve(comment=comment, by=moderator)
    run_mail_queue()

    assert queued() == []
    assert mail.outbox == []


def test_a_commenter_who_asked_is_told_the_reason_for_a_rejection(article, make_comment, moderator):
    comment = make_comment(article, notify_on_decision=True)
    verify(comment.email)

    reject(comment=comment, by=moderator, reason="Please stay on topic")
    run_mail_queue()

    assert "Reason: Please stay on topic" in mail.outbox[0].body
    assert "Please stay on topic" in mail.outbox[0].alternatives[0].content


def test_a_commenter_told_of_publication_is_told_of_a_take_down_too(
    article, make_comment, moderator
):
    from comments.services import take_down

    comment = make_comment(article, notify_on_decision=True)
    reply = make_comment(article, parent=comment, notify_on_decision=True, email="bob@example.com")
    verify(comment.email)
    verify(reply.email)
    approve(comment=comment, by=moderator)
    approve(comment=Comment.objects.get(pk=reply.pk), by=moderator)
    run_mail_queue()
    mail.outbox.clear()

    take_down(Comment.objects.filter(pk=comment.pk), by=moderator, reason="Libel")
    run_mail_queue()

    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == ["bob@example.com", comment.email]
    theirs = by_address[comment.email]
    assert theirs.subject == "[Newsportal] Your comment was taken down"
    assert "It was published, then a moderator took it off the site." in theirs.body
    assert "Reason: Libel" in theirs.body
    assert "took it off the site" in by_address["bob@example.com"].alternatives[0].content


def test_a_take_down_undone_before_its_mail_went_tells_no_reply_writer_it_is_published(
    make_article, make_comment, moderator
):
    from comments.services import return_to_queue, take_down

    taken = []
    for writer in ["bob@x.org", "eve@x.org"]:  # on two stories, taken down and back at once
        article = make_article()
        comment = make_comment(article, status="approved")
        make_comment(
            article, parent=comment, status="approved", notify_on_decision=True, email=writer
        )
        verify(writer)
        Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
        taken.append(comment.pk)

    take_down(Comment.objects.filter(pk__in=taken), by=moderator)
    return_to_queue(Comment.objects.filter(pk__in=taken), by=moderator)  # by mistake
    run_mail_queue()

    # Bob's and Eve's replies hang hidden on comments waiting again: nothing says they are on
    # the articles.
    assert [m for m in mail.outbox if "published" in m.body] == []


def test_nobody_is_mailed_who_did_not_ask_or_was_marked_as_spam(article, make_comment, moderator):
    quiet = make_comment(article, notify_on_decision=False)
    spammer = make_comment(article, notify_on_decision=True)
    verify(quiet.email)
    verify(spammer.email)

    approve(comment=quiet, by=moderator)
    mark_spam(comment=spammer, by=moderator)
    run_mail_queue()

    assert mail.outbox == []


def test_a_decision_mail_never_costs_the_decision_and_is_logged_without_personal_data(
    article, make_comment, moderator, smtp, caplog
):
    verify("maria@example.com")
    comment = make_comment(article, notify_on_decision=True, email="maria@example.com")

    with caplog.at_level(logging.WARNING):
        assert approve(comment=comment, by=moderator)
        run_mail_queue()  # nothing listens on the port: refused, retried later

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert [m["attempt"] for m in queued("decision")] == [2]
    assert f"decision mail {comment.pk} not sent (ConnectionRefusedError: " in caplog.text
    assert "maria@example.com" not in caplog.text


def test_no_reader_text_reaches_a_mail_header(
    reader, article, comment_form_data, make_comment, moderator, moderator_mail
):
    evil_name = "Eve\r\nBcc: victim@example.com"
    response = reader.post(
        reverse("comments:post", args=[article.pk]), comment_form_data(article, name=evil_name)
    )
    assert response.status_code == 200  # a name on two lines is refused outright

    comment = make_comment(article, name="Eve Bcc: victim@example.com", notify_on_decision=True)
    verify(comment.email)
    approve(comment=comment, by=moderator)
    run_mail_queue()

    assert mail.outbox
    for message in mail.outbox:
        headers = message.message().as_string().split("\n\n", 1)[0]
        assert "victim" not in headers
        assert not re.search(r"^Bcc:", headers, re.MULTILINE)


def test_an_encoded_address_hiding_a_line_break_never_stops_the_other_mails_of_a_bulk_decision(
    moderator_client, article, make_comment, smtp, caplog
):
    evil = "=?utf-8?q?evil=0D=0Abcc=3A_victim=40example=2Ecom?=@example.com"
    addresses = ["first@example.com", evil, "second@example.com", "third@example.com"]
    comments = [make_comment(article, notify_on_decision=True, email=a) for a in addresses]
    for address in addresses:
        verify(address)
    smtp.start()

    response = moderator_client.post(
        "/admin/comments/comment/",
        {
            "action": "approve_selected",
            "_selected_action": [c.pk for c in comments],
            **as_shown(comments),
        },
    )
    with caplog.at_level(logging.ERROR):
        run_mail_queue()

    assert response.status_code == 302
    assert smtp.recipients() == ["first@example.com", "second@example.com", "third@example.com"]
    assert f"decision mail {comments[1].pk} not sent: ValueError" in caplog.text
    assert queued() == []  # refused for good: not retried
    assert "victim" not in " ".join(str(message) for _, _, message in smtp.received)


def clock_moved_on(seconds: float):
    """The wall clock `seconds` ahead (what the cache's timeouts and the mail records read)."""
    real_time = time.time
    return mock.patch("time.time", lambda: real_time() + seconds)


def test_a_comment_held_back_by_the_interval_gets_its_mail_from_the_reminder(
    submit, committed, article, moderator_mail, settings
):
    from django.core.management import call_command

    interval = settings.COMMENTS_MODERATOR_MAIL_INTERVAL
    committed(submit, article, body="First", email="a@example.com")
    committed(submit, article, body="Second, inside the interval", email="b@example.com")
    run_mail_queue()
    assert len(mail.outbox) == 1

    with clock_moved_on(interval - 5):
        call_command("remind_moderators")
        run_mail_queue()
    assert len(mail.outbox) == 1  # the interval is not over yet

    with clock_moved_on(interval + 5):  # the interval is over
        call_command("remind_moderators")
        run_mail_queue()
    assert len(mail.outbox) == 2
    assert "2 comments" in mail.outbox[1].body

    with clock_moved_on(2 * interval + 10):  # over again since that mail
        call_command("remind_moderators")
        run_mail_queue()
    assert len(mail.outbox) == 2  # nothing arrived since the last mail


def test_a_comment_edited_back_into_the_queue_inside_the_interval_gets_its_reminder(
    submit, committed, article, make_comment, moderator, moderator_mail, settings
):
    from django.core.management import call_command

    from comments.commenter_services import edit_comment

    published = make_comment(article, email="a@example.com")
    approve(comment=published, by=moderator)
    committed(submit, article, body="Another", email="b@example.com")  # mails the moderators
    published.refresh_from_db()
    committed(edit_comment, comment=published, body="Other words, to be read again")  # held
    run_mail_queue()
    assert len(mail.outbox) == 1

    with clock_moved_on(settings.COMMENTS_MODERATOR_MAIL_INTERVAL + 5):
        call_command("remind_moderators")
        run_mail_queue()
    assert len(mail.outbox) == 2
    assert "2 comments" in mail.outbox[1].body


def test_a_comment_readers_reports_hide_is_mailed_to_the_moderators(
    article, approved_comment, moderator_mail, committed
):
    from comments.desk import report_comment

    ModerationPolicy.objects.create(hide_after_reports=1)

    committed(report_comment, comment=approved_comment, reason="abuse", ip="192.0.2.1")
    run_mail_queue()

    assert Comment.objects.get().status == Comment.Status.PENDING
    assert [m.to for m in mail.outbox] == [["desk@newsroom.example"]]


def test_commenters_of_a_bulk_decision_get_one_mail_each(moderator_client, article, make_comment):
    comments = [
        make_comment(article, notify_on_decision=True, email=f"r{n}@example.com") for n in range(3)
    ]
    for comment in comments:
        verify(comment.email)

    moderator_client.post(
        "/admin/comments/comment/",
        {
            "action": "approve_selected",
            "_selected_action": [c.pk for c in comments],
            **as_shown(comments),
        },
    )
    run_mail_queue()
    run_mail_queue()

    assert sorted(m.to[0] for m in mail.outbox) == [f"r{n}@example.com" for n in range(3)]
