"""A commenter's own Delete (or the mailed Erase) pressed while the same owner's "Stop all mail"
goes through, on real PostgreSQL connections: both land, and the stop holds. Stop all mail locks
the address's row, then its comments (to drop their mail wishes); the Delete locked the comment,
then forgot the address (deleting its row): each waited on the other, and PostgreSQL refused
one (a deadlock: a server error, and the owner's stop lost when it was the Stop). A deletion now
locks the address first, so the second of the two waits for the first.

SQLite takes one writer at a time (the whole file), so nothing can be locked crosswise there:
the Stop, then the Delete, and the stop holds all the same."""

import threading

import pytest
from django.db import connection, connections

from articles.models import Article
from comments import commenter_services, privacy
from comments.commenter_services import stop_all_mail
from comments.models import Comment, CommenterAddress
from tests.mail_helpers import verify
from tests.test_moderation_take_down_at_once import _both_wait_on_locks

EMAIL = "maria@example.com"


def _delete(comment):
    assert privacy.delete_own_comment(comment=comment)


def _erase(comment):
    assert privacy.erase_comments(email=comment.email) == 1


def _stopped_while_removed(address, remove, monkeypatch) -> None:
    """The Stop holds the address's row when the removal starts, and goes on to the comments
    only once the removal waits on a lock: the order in which they met crosswise."""
    drop_wishes, stopping, waited, errors = (
        commenter_services._drop_mail_wishes,
        threading.Event(),
        [],
        [],
    )

    def drop_once_the_removal_waits(*args, **kwargs):
        stopping.set()
        waited.append(_both_wait_on_locks(1))
        return drop_wishes(*args, **kwargs)

    monkeypatch.setattr(commenter_services, "_drop_mail_wishes", drop_once_the_removal_waits)

    def run(press):
        try:
            press()
        except Exception as exc:  # a server error: reported below, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    def removal():
        assert stopping.wait(10)
        remove()

    threads = [
        threading.Thread(target=run, args=(lambda: stop_all_mail(address_id=address.pk),)),
        threading.Thread(target=run, args=(removal,)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []  # before: "deadlock detected" for one of them
    assert waited == [True]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("remove", [_delete, _erase], ids=["delete", "erase"])
def test_a_delete_and_stop_all_mail_at_once_both_land_and_the_stop_holds(
    article, make_comment, remove, monkeypatch
):
    address = verify(EMAIL)
    comment = make_comment(article, email=EMAIL, status="approved", notify_on_decision=True)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)

    if connection.vendor == "postgresql":
        _stopped_while_removed(address, lambda: remove(comment), monkeypatch)
    else:
        stop_all_mail(address_id=address.pk)
        remove(comment)

    assert not Comment.objects.filter(pk=comment.pk).exists()
    # Kept as the stop alone, under its keyed hash: typed again, the address is still stopped.
    assert not CommenterAddress.objects.filter(email=EMAIL).exists()
    assert CommenterAddress.objects.stopped(EMAIL).exists()
