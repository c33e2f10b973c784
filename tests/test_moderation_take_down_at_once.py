""" "Take down selected" pressed by two moderators at once, on real PostgreSQL connections, each
across the same three stories: both land, each story's count moves once per comment, no server
error. The counts were moved one UPDATE per size of change, in the order the comments were
read: one moderator's press locked story A, then C, then B; the other's B, then C, then A.
Here a third transaction holds story C while both presses queue on it (PostgreSQL says when
both wait: pg_stat_activity), each holding the story it took first; let go, they waited on
each other and PostgreSQL refused one (a deadlock, a server error for that moderator). The
stories are now locked in pk order, so the second press waits for the first.

SQLite takes one writer at a time (the whole file), so nothing can be ordered crosswise there:
the two presses go one after the other, and both land all the same."""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test import Client

from articles.models import Article
from comments.models import Comment
from tests.test_moderation_requeue_decided_again import CHANGELIST, messages, page_fields

URL = f"{CHANGELIST}?status=approved"


def _both_wait_on_locks(n: int) -> bool:
    """True once n transactions of this database wait on a row lock (10 s at most). Asked from
    inside a transaction, which keeps the statistics it read first unless told to drop them."""
    for _ in range(1000):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0] >= n:
                return True
        time.sleep(0.01)
    return False


def _ticked(client, comments) -> dict:
    """The Approved list's "Take down selected", the comments ticked as the page drew them."""
    data = {"action": "take_down_selected", "_selected_action": [c.pk for c in comments]}
    for comment in comments:
        data |= page_fields(client, URL, comment.pk)
    return data


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_take_downs_across_the_same_stories_at_once_both_land(
    moderator_client, second_moderator, make_article, make_comment
):
    a, b, c = sorted((make_article() for _ in range(3)), key=lambda story: story.pk)
    # Read in this order (by pk), each press's stories first met as A, C, B and B, C, A.
    first = [make_comment(s, status="approved") for s in (a, c, c, b, b, b)]
    second = [make_comment(s, status="approved") for s in (b, c, c, a, a, a)]
    Article.objects.update(approved_comment_count=4)
    other = Client()
    other.force_login(second_moderator)
    presses = [(moderator_client, _ticked(moderator_client, first))]
    presses.append((other, _ticked(other, second)))

    if connection.vendor == "postgresql":
        said = _pressed_together(presses, held=Article.objects.filter(pk=c.pk))
    else:
        said = [
            messages(client.post(URL, data, follow=True).content.decode())
            for client, data in presses
        ]

    assert said == [["6 comments taken down.Undo"]] * 2  # its Undo button
    assert set(Comment.objects.values_list("status", flat=True)) == {"rejected"}
    assert list(Article.objects.values_list("approved_comment_count", flat=True)) == [0, 0, 0]


def _pressed_together(presses, *, held) -> list:
    """Each press in a thread of its own (its own connection), sent while a transaction of this
    thread holds the `held` rows, let go once both wait on locks: what each moderator is told."""
    said, errors = [None] * len(presses), []

    def press(n):
        client, data = presses[n]
        try:
            said[n] = messages(client.post(URL, data, follow=True).content.decode())
        except Exception as exc:  # a server error: reported below, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(n,)) for n in range(len(presses))]
    with transaction.atomic():
        list(held.select_for_update())
        for thread in threads:
            thread.start()
        both_waited = _both_wait_on_locks(len(presses))
    for thread in threads:
        thread.join(timeout=30)
    assert both_waited
    assert errors == []
    return said
