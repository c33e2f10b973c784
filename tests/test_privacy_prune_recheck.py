"""The daily prune (manage.py prune_comments) picks old rejects and spam by their status and age,
then locks them. A moderator who puts one back in the queue, or back on the page, between the
pick and the lock has changed it so it no longer qualifies: it stays. Before, the prune deleted
whatever it had picked, the moderator's decision lost with the comment (and its replies).

A moderator's own delete (the admin) deletes the comments chosen, whatever happened to them
between the choice and the lock: that choice is explicit.

The moderator acts at the moment between the prune's pick and its first lock, in the prune's
own transaction (both databases); and, on real PostgreSQL connections, holds the comment's row
when the prune picks it, so the prune's lock waits for the moderator's commit."""

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article
from comments import services
from comments.models import Comment
from comments.querysets import CommentQuerySet
from comments.services import approve, return_to_queue
from tests.test_privacy_locks_at_once import _at_once

CHANGELIST = "/admin/comments/comment/"


def _between_pick_and_lock(monkeypatch, act) -> None:
    """`act` runs once, just before the first rows are locked (the pick is made by then)."""
    lock_rows, done = CommentQuerySet.lock_rows, []

    def act_first(self, **kwargs):
        if not done:
            done.append(True)
            act()
        return lock_rows(self, **kwargs)

    monkeypatch.setattr(CommentQuerySet, "lock_rows", act_first)


def _old(article, make_comment, **fields) -> Comment:
    long_ago = timezone.now() - timedelta(days=settings.COMMENTS_KEEP_REJECTED_DAYS + 1)
    return make_comment(article, status="rejected", moderated_at=long_ago, **fields)


@pytest.mark.parametrize("then", ["back to the queue", "approved"])
def test_an_old_reject_a_moderator_takes_back_as_the_prune_picks_it_stays(
    article, make_comment, moderator, monkeypatch, then
):
    second_thoughts = _old(article, make_comment, body="Harsh, but fair after all.")
    reply = make_comment(article, parent=second_thoughts, status="approved", body="Agreed.")
    # The reply, shown under the placeholder of the comment it answers, is counted.
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    gone = _old(article, make_comment, body="Buy cheap watches.")

    def take_back():
        return_to_queue(Comment.objects.filter(pk=second_thoughts.pk), by=moderator)
        if then == "approved":
            assert approve(comment=Comment.objects.get(pk=second_thoughts.pk), by=moderator)

    _between_pick_and_lock(monkeypatch, take_back)
    said = StringIO()
    call_command("prune_comments", stdout=said)

    assert "Deleted 1 rejected or spam comment(s)" in said.getvalue()  # before: 3
    assert not Comment.objects.filter(pk=gone.pk).exists()
    kept = dict(Comment.objects.values_list("pk", "status"))
    status = "pending" if then == "back to the queue" else "approved"
    assert kept == {second_thoughts.pk: status, reply.pk: "approved"}
    # Readers see the comment and its reply again once it is approved, and the count says so.
    counted = 2 if then == "approved" else 0
    assert Article.objects.get(pk=article.pk).approved_comment_count == counted


def test_a_moderators_delete_deletes_the_comments_chosen_whatever_happened_to_them_meanwhile(
    superuser_client, superuser, article, make_comment, monkeypatch
):
    chosen = _old(article, make_comment, body="Off topic.")

    _between_pick_and_lock(
        monkeypatch,
        lambda: return_to_queue(Comment.objects.filter(pk=chosen.pk), by=superuser),
    )
    data = {"action": "delete_selected", "_selected_action": [chosen.pk], "post": "yes"}
    # Chosen from the list of rejected comments; back in the queue before the lock.
    response = superuser_client.post(CHANGELIST + "?status=rejected", data)

    assert response.status_code == 302
    assert not Comment.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestOnRealConnections:
    def test_the_prunes_lock_waits_for_a_moderators_back_to_the_queue_and_keeps_the_comment(
        self, article, make_comment, moderator, monkeypatch
    ):
        taken_back = _old(article, make_comment)
        back = lambda: return_to_queue(  # noqa: E731
            Comment.objects.filter(pk=taken_back.pk), by=moderator
        )
        prune = lambda: call_command("prune_comments", verbosity=0)  # noqa: E731

        # "Back to the queue" has changed the row, not committed yet, when the prune picks it; it
        # commits once the prune waits on its lock. (SQLite: one, then the other.)
        _at_once(back, prune, services, "move_approved_counts", monkeypatch, after=False)

        assert list(Comment.objects.values_list("pk", "status")) == [(taken_back.pk, "pending")]
