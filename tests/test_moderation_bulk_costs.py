"""What 'Take down selected' costs in queries for comments readers' reports had hidden: the
same for one as for a page of them (a query or lock per comment shows). The mail each writer
is sent is queued in the transaction, one task row each through the queue's own enqueue
(comments.mail), counted here: two a thread (the comment's writer and its reply's)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail

from articles.models import Article
from comments.desk import report_comment
from comments.models import Comment, ModerationPolicy, Report
from comments.services import REPLY_TAKEN_DOWN
from tests.comment_fixtures import as_shown
from tests.mail_helpers import run_mail_queue, verify
from tests.test_moderation_undo_take_down_elsewhere import _undo_form

CHANGELIST = "/admin/comments/comment/"


def _hidden_threads(article, make_comment, count):
    """`count` published comments, each with a published reply, hidden by a reader's report."""
    ModerationPolicy.objects.create(hide_after_reports=1)
    comments = []
    for n in range(count):
        email = f"hidden{n}@example.com"
        verify(email)
        comment = make_comment(article, status="approved", email=email, notify_on_decision=True)
        verify(f"reply{n}@example.com")
        make_comment(
            article,
            status="approved",
            parent=comment,
            email=f"reply{n}@example.com",
            notify_on_decision=True,
        )
        comments.append(comment)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2 * count)
    for comment in comments:
        report_comment(comment=comment, reason="abuse", ip="198.51.100.7")
        comment.refresh_from_db()
        assert comment.status == Comment.Status.PENDING
    return comments


def _take_down(client, comments):
    ContentType.objects.clear_cache()  # each log entry looks its type up afresh
    return client.post(
        f"{CHANGELIST}?status=reported",
        {
            "action": "take_down_selected",
            "_selected_action": [c.pk for c in comments],
            "reason": "Libel",
            **as_shown(comments),
        },
    )


@pytest.mark.parametrize("how_many", [1, 6])
def test_taking_down_comments_their_reports_hid_costs_one_pass_and_a_mail_each(
    moderator_client, article, make_comment, django_assert_num_queries, how_many
):
    hidden = _hidden_threads(article, make_comment, how_many)

    # The session and the moderator's permissions, the list and the action's reads, and one
    # pass over the ticked comments, hidden and published read together under their locks
    # (one transaction): it was 29 more for each (its lock, reads, UPDATEs, log entries), and
    # 8 more while the hidden and the published ones were locked and read apart. What grows
    # is the mail, one task row for each writer told (the comment's and its reply's), written
    # by the queue's own enqueue: it has no bulk one, and writing its rows ourselves would
    # copy its internals. One read more since a rejection leaves the published replies its
    # reports did not take down under the comment's placeholder: none here.
    with django_assert_num_queries(49 + 2 * how_many):
        answer = _take_down(moderator_client, hidden)

    assert answer.status_code == 302
    assert Comment.objects.filter(status="rejected", rejection_reason="Libel").count() == how_many
    replies = Comment.objects.filter(status="rejected", rejection_reason=REPLY_TAKEN_DOWN)
    assert replies.count() == how_many
    assert not Report.objects.open().exists()
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0


def test_taking_down_hidden_comments_together_keeps_what_each_one_did(
    moderator_client, client, article, make_comment
):
    hidden = _hidden_threads(article, make_comment, 3)

    answer = _take_down(moderator_client, hidden)

    assert answer.status_code == 302
    for comment in hidden:
        comment.refresh_from_db()
        assert comment.taken_down_by is not None and comment.taken_down_at is not None
    assert set(Report.objects.values_list("outcome", flat=True)) == {"taken-down"}
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Comment number" not in page
    run_mail_queue()
    # Each writer hears theirs came down (the repliers: because of the comment they answered).
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [c.email for c in hidden] + [r.email for r in Comment.objects.filter(parent__in=hidden)]
    )
    assert {m.subject for m in mail.outbox} == {"[Newsportal] Your comment was taken down"}


def test_hidden_comments_taken_down_together_are_hidden_again_by_one_undo(
    moderator_client, article, make_comment
):
    hidden = _hidden_threads(article, make_comment, 3)
    told = _take_down(moderator_client, hidden)
    url, fields = _undo_form(moderator_client.get(told["Location"]).content.decode())

    answer = moderator_client.post(url, fields, follow=True).content.decode()

    assert "Not taken down after all: 3 comments are hidden by their reports again." in answer
    assert set(Comment.objects.values_list("status", flat=True)) == {"pending", "approved"}
    assert Report.objects.open().count() == 3
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0
