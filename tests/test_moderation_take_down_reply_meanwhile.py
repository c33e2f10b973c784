"""A comment taken down while a reader's reply to it is being saved, on real connections: both
land, no server error. On PostgreSQL the reply's commit checks its foreign keys then (Django's
are DEFERRABLE INITIALLY DEFERRED): it takes its story's row FOR KEY SHARE, then waits for the
comment answered, which the take-down holds (it locks the comment and its replies first). The
take-down then moved the story's count under FOR UPDATE, which waits for any KEY SHARE: each
waited on the other, and PostgreSQL refused one ('deadlock detected', a server error for the
moderator or the reader). The count is now moved under FOR NO KEY UPDATE, as a plain UPDATE
takes, which a KEY SHARE does not hold up. Here a third transaction holds the story until the
reply's commit queues on it, then the take-down's (pg_stat_activity says when), so that the
reply takes the story first, as it did when the two met (and the other order too).

SQLite takes one writer at a time (the whole file): the two go one after the other there, in
either order, and both land all the same."""

import threading

import pytest
from django.db import connection, connections, transaction

from articles.models import Article
from comments.models import Comment
from comments.services import submit_comment, take_down
from tests.test_moderation_take_down_at_once import _both_wait_on_locks


def _reply(article, parent):
    return submit_comment(
        article=article,
        parent=parent,
        name="Bea",
        email="bea@example.com",
        body="A reply.",
        ip="192.0.2.1",
        notify=False,
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("first", ["reply", "take-down"])
def test_a_comment_taken_down_while_a_reply_to_it_is_sent_both_land(
    article, make_comment, moderator, first
):
    parent = make_comment(article, status="approved")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    sent = {
        "reply": lambda: _reply(article, parent),
        "take-down": lambda: take_down([parent], by=moderator),
    }

    then = "take-down" if first == "reply" else "reply"
    errors = _in_order(article, sent[first], sent[then])

    assert errors == []
    assert Comment.objects.get(pk=parent.pk).status == "rejected"
    # Screened into the queue (as the policy holds replies), under a comment taken down.
    [reply] = Comment.objects.filter(parent=parent)
    assert (reply.status, reply.body) == ("pending", "A reply.")
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0


def _in_order(article, *sent) -> list[str]:
    """Sent in the order given: on PostgreSQL met on the story (below), on SQLite one after the
    other. The first line of each error they met."""
    if connection.vendor == "postgresql":
        return _meeting_on_the_story(article, *sent)
    for send in sent:
        send()
    return []


def _meeting_on_the_story(article, *sent) -> list[str]:
    """Each on a connection of its own, queued on the story (held here) in the order given,
    then let go: the first line of each error they met."""
    errors = []

    def run(send):
        try:
            send()
        except Exception as exc:  # a server error: reported, not lost in the thread
            errors.append(str(exc).splitlines()[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(send,)) for send in sent]
    with transaction.atomic():
        list(Article.objects.filter(pk=article.pk).select_for_update())
        for n, thread in enumerate(threads, start=1):
            thread.start()
            assert _both_wait_on_locks(n)
    for thread in threads:
        thread.join(timeout=30)
    return errors
