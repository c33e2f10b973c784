"""The mail queue: mail is written in the transaction of the change that causes it, no web
request ever talks to the mail server, and a mail server that refuses every connection for a
while, then accepts, gets every queued mail once and none twice (a real SMTP server on
127.0.0.1, started refusing: nothing listens on its port until it starts)."""

import logging
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from comments.mail import retry_delay
from comments.models import Comment
from tests.comment_fixtures import as_shown
from tests.mail_helpers import make_due, queued, run_mail_queue, verify

SMTP_OPEN = "django.core.mail.backends.smtp.EmailBackend.open"


def bulk_approve(client, comments):
    # Each decision looks the log's content type up afresh: whether an earlier test left it
    # cached must not change what one costs.
    ContentType.objects.clear_cache()
    return client.post(
        "/admin/comments/comment/",
        {
            "action": "approve_selected",
            "_selected_action": [c.pk for c in comments],
            **as_shown(comments),
        },
    )


def waiting_comments(article, make_comment, count, prefix="r"):
    comments = []
    for n in range(count):
        email = f"{prefix}{n}@example.com"
        verify(email)
        comments.append(make_comment(article, notify_on_decision=True, email=email))
    return comments


def test_a_change_that_rolls_back_queues_no_mail(submit, committed, article, settings):
    settings.COMMENTS_MODERATOR_EMAILS = ["desk@newsroom.example"]
    settings.COMMENTS_MODERATOR_MAIL_INTERVAL = 300

    with pytest.raises(RuntimeError), transaction.atomic():
        submit(article, notify=True)
        # Its writer's mail is queued with it; the moderators' is for after its commit.
        assert [m["kind"] for m in queued()] == ["confirm-about"]
        raise RuntimeError("the change fails after the mail was queued")

    assert Comment.objects.count() == 0
    assert queued() == []
    # Nor did the comment that never was use up the moderators' interval.
    committed(submit, article, email="next@example.com")
    assert [m["to"] for m in queued("moderators")] == ["desk@newsroom.example"]


def test_a_mail_server_that_refuses_for_a_while_then_accepts_gets_every_mail_exactly_once(
    reader, article, comment_form_data, moderator_client, make_comment, smtp, settings, committed
):
    settings.COMMENTS_MODERATOR_EMAILS = ["desk@newsroom.example", "night@newsroom.example"]
    verify("maria@example.com")
    decided = waiting_comments(article, make_comment, 5)
    with mock.patch(SMTP_OPEN) as smtp_open:
        posted = committed(
            reader.post,
            reverse("comments:post", args=[article.pk]),
            comment_form_data(article, notify="on"),
        )
        approved = bulk_approve(moderator_client, decided)
    assert (posted.status_code, approved.status_code) == (302, 302)
    assert smtp_open.call_count == 0  # no web request talked to the mail server

    run_mail_queue()  # the server refuses every connection
    run_mail_queue()  # ...and nothing is tried again before the backoff is over
    assert smtp.received == []
    assert {m["attempt"] for m in queued()} == {2}
    # Two moderators, five decisions, and the question to Maria, whose confirmed address this
    # browser had never written with ("Is this comment yours?").
    assert len(queued()) == 8

    make_due()
    run_mail_queue()  # still refusing
    assert {m["attempt"] for m in queued()} == {3}

    smtp.start()
    make_due()
    run_mail_queue()
    make_due()
    run_mail_queue()

    expected = sorted(
        ["desk@newsroom.example", "night@newsroom.example", "maria@example.com"]
        + [c.email for c in decided]
    )
    assert smtp.recipients() == expected  # each once: none lost, none twice
    assert queued() == []
    for _, recipients, message in smtp.received:
        assert message["To"] == recipients[0]  # one address per mail


def test_a_50_comment_bulk_decision_never_waits_on_the_mail_server(
    moderator_client, article, make_comment, smtp
):
    # The server is down (nothing listens). The decision talks to no mail server at all, and
    # costs the same queries as with the server up: as fast either way.
    down = waiting_comments(article, make_comment, 50, prefix="down")
    with mock.patch(SMTP_OPEN) as smtp_open, CaptureQueriesContext(connection) as down_queries:
        response = bulk_approve(moderator_client, down)

    assert response.status_code == 302
    assert smtp_open.call_count == 0
    assert Comment.objects.approved().count() == 50
    assert len(queued("decision")) == 50

    smtp.start()
    up = waiting_comments(article, make_comment, 50, prefix="up")
    with mock.patch(SMTP_OPEN) as smtp_open, CaptureQueriesContext(connection) as up_queries:
        bulk_approve(moderator_client, up)

    assert smtp_open.call_count == 0
    assert len(up_queries) == len(down_queries)


def test_each_more_decision_mail_in_a_bulk_decision_costs_only_its_own_queueing(
    moderator_client, article, make_comment
):
    # Twenty more mails cost twenty more queued tasks, nothing else per mail (a DELETE of any
    # older mail about each comment ran once per comment).
    few = waiting_comments(article, make_comment, 5, prefix="few")
    many = waiting_comments(article, make_comment, 25, prefix="many")
    with CaptureQueriesContext(connection) as few_queries:
        bulk_approve(moderator_client, few)
    with CaptureQueriesContext(connection) as many_queries:
        bulk_approve(moderator_client, many)

    assert len(queued("decision")) == 30
    assert len(many_queries) - len(few_queries) == 20


def test_retries_back_off_and_give_up_after_the_last_attempt(
    article, make_comment, moderator, smtp, settings, caplog
):
    from comments.services import approve

    settings.MAIL_MAX_ATTEMPTS = 3
    settings.MAIL_RETRY_SECONDS = 30
    [comment] = waiting_comments(article, make_comment, 1)
    approve(comment=comment, by=moderator)

    before = timezone.now()
    run_mail_queue()
    [retry] = queued("decision")
    assert before + timedelta(seconds=29) < retry["run_after"] < before + timedelta(seconds=40)

    with caplog.at_level(logging.ERROR):
        make_due()
        run_mail_queue()
        make_due()
        run_mail_queue()

    assert queued() == []
    assert f"decision mail {comment.pk} given up after 3 attempts" in caplog.text
    assert DBTaskResult.objects.filter(status="FAILED").count() == 1  # not "successful"
    assert [retry_delay(n) for n in (1, 2, 3, 8, 20)] == [30, 60, 120, 3600, 3600]


def test_the_default_retries_outlast_a_mail_server_down_overnight(settings):
    waits = sum(retry_delay(n) for n in range(1, settings.MAIL_MAX_ATTEMPTS))

    assert timedelta(seconds=waits) >= timedelta(hours=20)


def test_mail_given_up_goes_out_once_more_when_the_operator_asks_after_fixing_the_server(
    article, make_comment, moderator, smtp, settings
):
    from comments.services import approve

    settings.MAIL_MAX_ATTEMPTS = 1
    [comment] = waiting_comments(article, make_comment, 1)
    approve(comment=comment, by=moderator)
    run_mail_queue()  # the server refuses: given up at once
    assert DBTaskResult.objects.filter(status="FAILED").count() == 1

    smtp.start()
    out = StringIO()
    call_command("requeue_mail", "--failed", stdout=out)
    run_mail_queue()

    assert "Put 1 unfinished mail(s) back" in out.getvalue()
    assert smtp.recipients() == [comment.email]
    assert DBTaskResult.objects.filter(status="FAILED").count() == 0


def test_a_refused_recipient_is_not_retried_and_the_others_go_out(
    article, make_comment, moderator, smtp, caplog
):
    from comments.services import decide

    smtp.start()
    comments = waiting_comments(article, make_comment, 3)
    smtp.refuse.add("r1@example.com")
    decide(comments, status=Comment.Status.APPROVED, by=moderator)

    with caplog.at_level(logging.ERROR):
        run_mail_queue()

    assert smtp.recipients() == ["r0@example.com", "r2@example.com"]
    assert queued() == []
    assert f"decision mail {comments[1].pk} not sent: SMTPRecipientsRefused" in caplog.text


def test_a_mail_not_sent_is_logged_with_the_reason_and_without_the_address(
    article, make_comment, moderator, smtp, settings, caplog
):
    from comments.services import approve

    [comment] = waiting_comments(article, make_comment, 1)
    approve(comment=comment, by=moderator)
    smtp.start()
    smtp.refuse.add(comment.email)
    with caplog.at_level(logging.ERROR):
        run_mail_queue()
    # A file backend with nowhere to write (the operator's setting, not the reader's address).
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = None
    call_command("requeue_mail", "--failed", stdout=StringIO())
    with caplog.at_level(logging.ERROR):
        run_mail_queue()

    [refused, no_path] = [r.getMessage() for r in caplog.records if r.name == "comments.mail"]
    not_sent = f"decision mail {comment.pk} not sent:"
    assert refused == f"{not_sent} SMTPRecipientsRefused: 550 no such user"
    assert no_path.startswith(f"{not_sent} TypeError: expected str, bytes or os.PathLike object")
    assert comment.email not in caplog.text
    assert comment.email not in DBTaskResult.objects.get(status="FAILED").traceback


def test_a_recipient_greylisted_for_now_is_tried_again_and_then_gets_the_mail(
    article, make_comment, moderator, smtp
):
    from comments.services import decide

    smtp.start()
    comments = waiting_comments(article, make_comment, 1)
    smtp.greylist.add("r0@example.com")
    decide(comments, status=Comment.Status.APPROVED, by=moderator)

    run_mail_queue()
    assert smtp.recipients() == []
    assert len(queued()) == 1

    smtp.greylist.clear()
    make_due()
    run_mail_queue()
    assert smtp.recipients() == ["r0@example.com"]
    assert queued() == []


def test_the_immediate_backend_sends_after_commit_for_make_run(
    submit, article, settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    settings.COMMENTS_MODERATOR_EMAILS = ["desk@newsroom.example"]
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["mail"],
        }
    }

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit(article)
    assert mail.outbox == []
    # After the commit the moderators' mail is queued, and the backend, in autocommit there,
    # sends it at once (here inside the test's transaction: captured too).
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()

    assert [m.to for m in mail.outbox] == [["desk@newsroom.example"]]
    assert queued() == []


def test_a_database_error_while_a_mail_is_drawn_is_retried_not_lost(
    article, make_comment, moderator, settings
):
    from comments.letters import build_mail
    from comments.services import approve

    [comment] = waiting_comments(article, make_comment, 1)
    approve(comment=comment, by=moderator)
    calls = []

    def database_away_once(*args):
        calls.append(args)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return build_mail(*args)

    with mock.patch("comments.letters.build_mail", side_effect=database_away_once):
        run_mail_queue()
        assert mail.outbox == []
        [retry] = queued("decision")
        assert retry["attempt"] == 2
        make_due()
        run_mail_queue()

    assert [m.to for m in mail.outbox] == [[comment.email]]


def test_a_mail_whose_worker_was_killed_mid_send_is_queued_again_by_cron(
    article, make_comment, moderator
):
    from comments.services import approve

    comments = waiting_comments(article, make_comment, 2)
    for comment in comments:
        approve(comment=comment, by=moderator)
    # Two workers took one mail each: one was killed an hour ago, the other is still sending.
    killed, busy = DBTaskResult.objects.order_by("enqueued_at")
    DBTaskResult.objects.filter(pk=killed.pk).update(
        status="RUNNING", started_at=timezone.now() - timedelta(hours=1)
    )
    DBTaskResult.objects.filter(pk=busy.pk).update(status="RUNNING", started_at=timezone.now())
    run_mail_queue()
    assert mail.outbox == []

    out = StringIO()
    call_command("requeue_mail", stdout=out)
    run_mail_queue()

    assert "Put 1 unfinished mail(s) back" in out.getvalue()
    assert [m.to for m in mail.outbox] == [[comments[0].email]]
    assert DBTaskResult.objects.get(pk=busy.pk).status == "RUNNING"


@pytest.mark.parametrize("command", ["remind_moderators", "requeue_mail", "prune_comments"])
def test_cron_jobs_print_nothing_at_verbosity_0_so_cron_mails_only_errors(db, command):
    out = StringIO()

    call_command(command, verbosity=0, stdout=out)

    assert out.getvalue() == ""


def test_a_decision_undone_and_made_again_before_the_mail_left_is_mailed_once(
    article, make_comment, moderator
):
    from comments.services import approve, reject, return_to_queue

    [comment] = waiting_comments(article, make_comment, 1)
    approve(comment=comment, by=moderator)
    return_to_queue([comment], by=moderator)
    reject(comment=comment, by=moderator, reason="Off topic")

    run_mail_queue()

    assert [m.to for m in mail.outbox] == [[comment.email]]
    assert "Off topic" in mail.outbox[0].body
