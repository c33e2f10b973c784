"""The Reported queue's Undo: a Take down (t) or a Dismiss (x) made by mistake is undone from its
card, the comment and its reports as they were (back on the page, its replies too, the count and
the cached pages following), unless another moderator decided again meanwhile; logged, and its
author never left believing a comment that is up again was taken down."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.test import Client

from articles.models import Article
from comments.desk import report_comment
from comments.models import Comment, ModerationPolicy, Report
from comments.services import return_to_queue
from tests.mail_helpers import run_mail_queue, verify

# A card's posts, as the queue's scripts send them: a reported card's are the same.
from tests.test_moderation_undo import CHANGELIST, _undo
from tests.test_moderation_undo import _decide as _report_action


@pytest.fixture
def reported(approved_comment, make_comment):
    """A published comment (with a published reply: count 2) that one reader reported."""
    make_comment(approved_comment.article, parent=approved_comment, status="approved", body="Yes!")
    Article.objects.filter(pk=approved_comment.article_id).update(approved_comment_count=2)
    report_comment(comment=approved_comment, reason="abuse", ip="198.51.100.7")
    return approved_comment


@pytest.fixture
def hidden(reported):
    """The same comment, hidden by its report (the policy hides after one)."""
    ModerationPolicy.objects.create(hide_after_reports=1)
    report_comment(comment=reported, reason="spam", ip="198.51.100.8")
    reported.refresh_from_db()
    assert reported.status == Comment.Status.PENDING
    return reported


def _page(article):
    return Client().get(article.get_absolute_url()).content.decode()


def _count(comment):
    return Article.objects.get(pk=comment.article_id).approved_comment_count


def test_the_reported_queue_offers_undo_and_says_what_it_does(moderator_client, reported):
    page = moderator_client.get(f"{CHANGELIST}?status=reported").content.decode()

    assert f'data-requeue-url="{CHANGELIST}{reported.pk}/requeue/"' in page
    assert "<kbd>x</kbd> dismiss · <kbd>u</kbd> undo" in page
    assert "<dt>Undo</dt><dd>Shown on a card once you take it down or dismiss its reports" in page
    assert "in the Reported queue, the comment and its reports are as they were" in page


def test_a_take_down_undone_puts_the_comment_and_its_reply_back_with_their_reports(
    moderator_client, reported, purges, django_capture_on_commit_callbacks
):
    assert _report_action(moderator_client, reported, "take-down").json()["outcome"] == (
        "taken-down"
    )
    assert "Early Bird" not in _page(reported.article)
    assert _count(reported) == 0
    purges.clear()

    with django_capture_on_commit_callbacks(execute=True):
        answer = _undo(moderator_client, reported, "taken-down")

    assert (answer.status_code, answer.json()["outcome"]) == (200, "undone")
    assert answer.json()["message"] == (
        "Not taken down after all. The comment by Early Bird is up again, its reports open: "
        "decide again."
    )
    assert set(Comment.objects.values_list("status", "taken_down_at", "rejection_reason")) == {
        (Comment.Status.APPROVED, None, "")
    }
    assert Report.objects.open().filter(comment=reported).count() == 1
    assert _count(reported) == 2
    assert {f"article-{reported.article_id}", "list"} in purges
    assert "Yes!" in _page(reported.article)
    assert LogEntry.objects.filter(
        object_id=str(reported.pk),
        change_message="Take-down undone: up again, 1 report open again",
    ).exists()
    # On the queue again, to be decided once more.
    page = moderator_client.get(f"{CHANGELIST}?status=reported").content.decode()
    assert f'id="queue-{reported.pk}"' in page


def test_a_take_down_of_a_hidden_comment_undone_leaves_it_hidden_by_its_reports(moderator, hidden):
    client = Client()
    client.force_login(moderator)
    _report_action(client, hidden, "take-down")

    from comments.report_undo import undo_report_outcome  # new: the others fail on behaviour

    assert undo_report_outcome(comment=hidden, by=moderator, outcome=Report.Outcome.TAKEN_DOWN)

    hidden.refresh_from_db()
    assert (hidden.status, hidden.taken_down_at, hidden.moderated_by) == ("pending", None, None)
    assert "hidden after 2 reader reports" in hidden.held_because
    assert Report.objects.open().filter(comment=hidden).count() == 2
    # Its reply hangs on it again, unseen while it waits: nothing on the page, nor counted.
    assert set(hidden.replies.values_list("status", flat=True)) == {"approved"}
    assert _count(hidden) == 0
    assert "Early Bird" not in _page(hidden.article)


def test_a_dismissal_that_put_a_hidden_comment_back_is_undone_off_the_page(
    moderator_client, moderator, hidden, purges, django_capture_on_commit_callbacks
):
    _report_action(moderator_client, hidden, "dismiss")
    assert _count(hidden) == 2
    purges.clear()

    with django_capture_on_commit_callbacks(execute=True):
        answer = _undo(moderator_client, hidden, "dismissed")

    assert answer.json()["message"] == (
        "Not dismissed after all. The comment by Early Bird is hidden by its reports again, its "
        "reports open: decide again."
    )
    hidden.refresh_from_db()
    assert hidden.status == Comment.Status.PENDING
    assert Report.objects.open().filter(comment=hidden).count() == 2
    assert _count(hidden) == 0
    assert {f"article-{hidden.article_id}", "list"} in purges
    assert "Early Bird" not in _page(hidden.article)


def test_a_dismissal_undone_opens_the_reports_and_leaves_the_comment_up(moderator_client, reported):
    _report_action(moderator_client, reported, "dismiss")

    answer = _undo(moderator_client, reported, "dismissed")

    assert answer.json()["outcome"] == "undone"
    assert Report.objects.open().filter(comment=reported).count() == 1
    assert Comment.objects.get(pk=reported.pk).status == Comment.Status.APPROVED
    assert _count(reported) == 2


def test_undo_never_overwrites_what_another_moderator_did_meanwhile(
    moderator_client, moderator, second_moderator, reported
):
    _report_action(moderator_client, reported, "take-down")
    return_to_queue([reported], by=second_moderator)  # from the comment's page

    answer = _undo(moderator_client, reported, "taken-down")

    assert (answer.status_code, answer.json()["outcome"]) == (409, None)
    assert "is back in the queue already" in answer.json()["message"]
    reported.refresh_from_db()
    assert reported.status == Comment.Status.PENDING
    assert Report.objects.open().filter(comment=reported).count() == 0


def test_a_dismissal_is_not_undone_over_another_moderators_take_down(
    moderator_client, second_moderator, reported
):
    _report_action(moderator_client, reported, "dismiss")
    report_comment(comment=reported, reason="abuse", ip="198.51.100.9")  # reported again
    second = Client()
    second.force_login(second_moderator)
    _report_action(second, reported, "take-down")

    answer = _undo(moderator_client, reported, "dismissed")

    assert answer.status_code == 409
    assert answer.json()["message"] == (
        "The reports on the comment by Early Bird were upheld by moderator2 meanwhile. That "
        "decision stands: yours was not undone."
    )
    assert Comment.objects.get(pk=reported.pk).status == Comment.Status.REJECTED
    assert Report.objects.open().count() == 0


def test_only_the_moderator_who_took_it_down_undoes_it(
    moderator_client, second_moderator, reported
):
    _report_action(moderator_client, reported, "take-down")
    from comments.report_undo import undo_report_outcome

    assert not undo_report_outcome(
        comment=reported, by=second_moderator, outcome=Report.Outcome.TAKEN_DOWN
    )
    assert Comment.objects.get(pk=reported.pk).status == Comment.Status.REJECTED


def test_staff_who_may_not_moderate_cannot_undo(moderator_client, stranger_client, reported):
    _report_action(moderator_client, reported, "take-down")

    assert _undo(stranger_client, reported, "taken-down").status_code == 403
    assert Comment.objects.get(pk=reported.pk).status == Comment.Status.REJECTED


def test_its_author_mailed_about_the_take_down_hears_it_is_up_again(moderator_client, reported):
    Comment.objects.filter(pk=reported.pk).update(notify_on_decision=True)
    verify(reported.email)
    _report_action(moderator_client, reported, "take-down")
    run_mail_queue()
    assert [m.subject for m in mail.outbox] == ["[Newsportal] Your comment was taken down"]

    _undo(moderator_client, reported, "taken-down")
    run_mail_queue()

    assert mail.outbox[-1].subject == "[Newsportal] Your comment has been reviewed"
    assert "It has been approved and is now published" in mail.outbox[-1].body


def test_a_take_down_undone_before_its_mail_went_sends_no_mail(moderator_client, reported):
    Comment.objects.filter(pk=reported.pk).update(notify_on_decision=True)
    verify(reported.email)
    _report_action(moderator_client, reported, "take-down")

    _undo(moderator_client, reported, "taken-down")
    run_mail_queue()

    assert mail.outbox == []


def test_no_reply_writer_hears_their_reply_is_up_while_it_hangs_on_a_hidden_comment(
    moderator_client, hidden
):
    reply = hidden.replies.get()
    Comment.objects.filter(pk=reply.pk).update(notify_on_decision=True)
    verify(reply.email)
    _report_action(moderator_client, hidden, "take-down")
    run_mail_queue()
    assert [m.to for m in mail.outbox] == [[reply.email]]  # its reply came down with it

    _undo(moderator_client, hidden, "taken-down")
    run_mail_queue()

    assert Comment.objects.get(pk=hidden.pk).status == Comment.Status.PENDING
    assert len(mail.outbox) == 1
