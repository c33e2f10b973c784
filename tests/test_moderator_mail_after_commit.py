"""The moderators' mail ("comments are waiting") is queued once the comment that waits has
committed. Queued inside its transaction, a reply refused at its commit (the comment it answers
deleted meanwhile: tests.test_moderation_reply_parent_deleted) used up the mail interval for a
comment that never was, and the next real comment's mail was held back. And a mail queue or a
cache that fails then never costs the reader their comment."""

import time
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments import moderator_mail as moderator_mail_module
from comments.commenter_services import edit_comment
from comments.desk import report_comment
from comments.models import Comment, ModerationPolicy
from comments.moderator_mail import HELD_BACK_KEY, LAST_SENT_KEY, THROTTLE_KEY, notify_moderators
from comments.withdrawal import withdraw_comment
from tests.mail_helpers import queued, run_mail_queue
from tests.test_comment_form_errors import _post, _summary

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
DESK = "desk@newsroom.example"


@pytest.fixture
def moderator_mail(settings):
    settings.COMMENTS_MODERATOR_EMAILS = [DESK]
    settings.COMMENTS_MODERATOR_MAIL_INTERVAL = 300


def _another_reader_comments(article, comment_form_data):
    data = comment_form_data(article, body="A comment of my own.", email="ann@example.com")
    return Client(REMOTE_ADDR="198.51.100.40").post(
        reverse("comments:post", args=[article.pk]), data
    )


def _reply_refused_at_its_commit(reader, article, approved_comment, comment_form_data):
    """A reply to the comment, which is deleted once the reply was checked: refused at commit."""
    data = comment_form_data(article, parent=approved_comment.pk, body="I answer it")
    checked = Comment.full_clean

    def checked_then_deleted(comment, *args, **kwargs):
        checked(comment, *args, **kwargs)
        withdraw_comment(comment=approved_comment)

    with mock.patch.object(Comment, "full_clean", checked_then_deleted):
        _, problems, _ = _summary(_post(reader, article, data))
    assert problems == ["You can only reply to a published comment."]


def test_a_reply_refused_at_its_commit_leaves_the_moderators_mail_to_the_next_comment(
    reader, article, approved_comment, comment_form_data, moderator_mail
):
    _reply_refused_at_its_commit(reader, article, approved_comment, comment_form_data)

    response = _another_reader_comments(article, comment_form_data)
    run_mail_queue()

    assert response.status_code == 302
    assert Comment.objects.get(email="ann@example.com").status == Comment.Status.PENDING
    # Before, nothing: the refused reply had used up the interval.
    assert [m.to for m in mail.outbox] == [[DESK]]


def test_a_reply_refused_at_its_commit_leaves_the_reminder_nothing_new_to_mail(
    reader, article, approved_comment, make_comment, comment_form_data, moderator_mail
):
    make_comment(article, status="pending")
    _mailed_since_it_was_posted()
    _reply_refused_at_its_commit(reader, article, approved_comment, comment_form_data)

    call_command("remind_moderators", verbosity=0)
    run_mail_queue()
    # Before, a mail about the comment the desk was told of already: the refused reply had
    # told the reminder, before its commit, that a mail was owed.
    assert mail.outbox == []


def test_a_mail_queue_failing_after_the_commit_keeps_the_comment_and_the_reminder_mails(
    article, comment_form_data, moderator_mail
):
    failing = mock.patch(
        "comments.moderator_mail.queue_mail", side_effect=OperationalError("database went away")
    )
    with failing:
        response = _another_reader_comments(article, comment_form_data)

    # Before, a server error and the comment lost with the mail.
    assert response.status_code == 302
    assert Comment.objects.get(email="ann@example.com").status == Comment.Status.PENDING
    assert queued("moderators") == []

    # The interval was given back: the reminder's next run owes, and sends, the mail.
    call_command("remind_moderators", verbosity=0)
    run_mail_queue()
    assert [m.to for m in mail.outbox] == [[DESK]]


def test_a_cache_that_is_away_after_the_commit_still_mails_the_moderators(
    article, comment_form_data, moderator_mail
):
    broken = mock.Mock(**{f"{name}.side_effect": ConnectionError for name in ("add", "set")})
    with mock.patch("comments.moderator_mail.cache", broken):
        response = _another_reader_comments(article, comment_form_data)
    run_mail_queue()

    assert response.status_code == 302
    assert Comment.objects.filter(email="ann@example.com").exists()
    assert [m.to for m in mail.outbox] == [[DESK]]


def _mailed_since_it_was_posted() -> None:
    """The moderators were mailed after the published comment was posted, and the interval
    since is over (nothing holds the next mail back)."""
    cache.set(LAST_SENT_KEY, time.time(), None)


def test_an_edit_back_into_the_queue_whose_mail_failed_after_the_commit_is_reminded(
    approved_comment, moderator_mail
):
    Comment.objects.filter(pk=approved_comment.pk).update(moderated_at=timezone.now())
    approved_comment.refresh_from_db()  # approved a moment ago: its writer may still edit it
    _mailed_since_it_was_posted()
    failing = mock.patch(
        "comments.moderator_mail.moderator_addresses",
        side_effect=OperationalError("server closed the connection unexpectedly"),
    )
    with failing:
        edit_comment(comment=approved_comment, body="Other words, for a moderator to read")
    assert Comment.objects.get().status == Comment.Status.PENDING
    assert queued("moderators") == []

    # Before, nothing: the reminder looked only at comments posted since the last mail.
    call_command("remind_moderators", verbosity=0)
    run_mail_queue()
    assert [m.to for m in mail.outbox] == [[DESK]]


def test_a_comment_hidden_by_reports_whose_mail_a_crash_lost_is_reminded(
    approved_comment, moderator_mail
):
    _mailed_since_it_was_posted()
    ModerationPolicy.objects.create(hide_after_reports=1)
    # The process dies once the report has committed, before its after-commit work.
    with mock.patch("comments.moderator_mail.notify_moderators"):
        report_comment(comment=approved_comment, reason="abuse", ip="192.0.2.1")
    assert Comment.objects.get().status == Comment.Status.PENDING
    assert queued("moderators") == []

    call_command("remind_moderators", verbosity=0)
    run_mail_queue()
    assert [m.to for m in mail.outbox] == [[DESK]]


def test_a_moderator_mail_failing_before_it_is_queued_is_owed_and_keeps_the_interval(
    make_comment, article, moderator_mail
):
    make_comment(article, status="pending")
    _mailed_since_it_was_posted()
    cache.delete(HELD_BACK_KEY)
    cache.set(THROTTLE_KEY, 1, 300)  # another call's mail went, and holds the next one back
    failing = mock.patch(
        "comments.moderator_mail.moderator_addresses",
        side_effect=OperationalError("server closed the connection unexpectedly"),
    )
    with failing, pytest.raises(OperationalError):
        notify_moderators()

    assert cache.get(THROTTLE_KEY) == 1  # that mail's interval, not this call's to give back
    cache.delete(THROTTLE_KEY)  # the interval is over
    call_command("remind_moderators", verbosity=0)
    run_mail_queue()
    # Owed: nothing was posted since the last mail, and the reminder still sends it.
    assert [m.to for m in mail.outbox] == [[DESK]]


def test_a_reminder_run_between_the_commit_and_the_mail_sends_no_second_mail(
    article, comment_form_data, moderator_mail
):
    owe_the_mail = moderator_mail_module._owe_the_mail

    def owed_then_reminded():
        owe_the_mail()
        # The scheduler's reminder, in another process, runs right then: it mails the desk
        # about the comment, and its mail takes the interval.
        call_command("remind_moderators", verbosity=0)

    with mock.patch("comments.moderator_mail._owe_the_mail", owed_then_reminded):
        response = _another_reader_comments(article, comment_form_data)
    run_mail_queue()
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[DESK]]

    cache.delete(THROTTLE_KEY)  # the interval is over; nothing came in since that mail
    call_command("remind_moderators", verbosity=0)
    run_mail_queue()
    # Before, a second mail about the same comment: the post's own mail, held back by the
    # reminder's, had told the reminder it was still owed.
    assert [m.to for m in mail.outbox] == [[DESK]]
