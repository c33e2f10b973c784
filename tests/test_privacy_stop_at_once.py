"""A commenter's own Delete (or the mailed Erase) pressed while the same owner's "Stop all mail"
goes through, on real PostgreSQL connections: both land, and the stop holds. Stop all mail locks
the address's row, then its comments (to drop their mail wishes); the Delete locked the comment,
then forgot the address (deleting its row): each waited on the other, and PostgreSQL refused
one (a deadlock: a server error, and the owner's stop lost when it was the Stop). Stop all mail
now locks the address's comments before its row (comments.forgetting's lock order), so the
second of the two waits for the first. With the removal first, the Stop waited for its comment
and then found the address's row forgotten: it now makes it again, stopped.

SQLite takes one writer at a time (the whole file), so nothing can be locked crosswise there:
the Stop, then the Delete (or the removal inside the Stop), and the stop holds all the same."""

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article
from comments import commenter_services, privacy
from comments.commenter_services import stop_all_mail
from comments.models import Comment, CommenterAddress
from comments.services import submit_comment
from tests.mail_helpers import queued, verify
from tests.test_privacy_locks_at_once import _at_once

EMAIL = "maria@example.com"


def _delete(comment):
    assert privacy.delete_own_comment(comment=comment)


def _erase(comment):
    assert privacy.erase_comments(email=comment.email) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("remove", [_delete, _erase], ids=["delete", "erase"])
def test_a_delete_and_stop_all_mail_at_once_both_land_and_the_stop_holds(
    article, make_comment, remove, monkeypatch
):
    address = verify(EMAIL)
    comment = make_comment(article, email=EMAIL, status="approved", notify_on_decision=True)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)

    # The Stop holds the comments when the removal starts, and drops their mail wishes only once
    # the removal waits on a lock (on SQLite: the Stop, then the removal).
    stop = lambda: stop_all_mail(address_id=address.pk)  # noqa: E731
    _at_once(
        stop,
        lambda: remove(comment),
        commenter_services,
        "_drop_mail_wishes",
        monkeypatch,
        after=False,
    )

    assert not Comment.objects.filter(pk=comment.pk).exists()
    # Kept as the stop alone, under its keyed hash: typed again, the address is still stopped.
    assert not CommenterAddress.objects.filter(email=EMAIL).exists()
    assert CommenterAddress.objects.stopped(EMAIL).exists()


def _in_the_stop(remove, stop) -> None:
    """SQLite's nearest: the removal runs, and commits its part, between the Stop's read of the
    address and its UPDATE (where on PostgreSQL the Stop waits on the removal's lock)."""
    lock_written = commenter_services._lock_written

    def removed_then_locked(emails):
        remove()
        lock_written(emails)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(commenter_services, "_lock_written", removed_then_locked)
        stop()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    "remove, forgets",
    [(_delete, "forget_addresses"), (_erase, "_forget_address")],
    ids=["delete", "erase"],
)
def test_stop_all_mail_pressed_while_a_delete_forgets_the_address_still_stops_it(
    article, make_comment, remove, forgets, monkeypatch
):
    """The removal goes first: it holds the comment when the Stop has read the address, and
    forgets the address (its row deleted: mail was not stopped yet) while the Stop waits for the
    comment. The Stop's UPDATE then found no row, and its owner was told "No more mail from us"
    with nothing stopped: a stranger typing the address got a confirmation mail."""
    address = CommenterAddress.objects.create(email=EMAIL, verified_at=timezone.now())
    comment = make_comment(article, email=EMAIL, status="approved")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)

    stop = lambda: stop_all_mail(address_id=address.pk)  # noqa: E731
    if connection.vendor == "postgresql":
        _at_once(lambda: remove(comment), stop, privacy, forgets, monkeypatch, after=False)
    else:
        _in_the_stop(lambda: remove(comment), stop)

    assert not Comment.objects.filter(pk=comment.pk).exists()
    # Kept as the stop alone, under its keyed hash, as a stop with no comment left always is.
    assert not CommenterAddress.objects.filter(email=EMAIL).exists()
    assert CommenterAddress.objects.stopped(EMAIL).exists()
    # Typed again, with mail asked for: the stop holds, nothing is mailed.
    submit_comment(
        article=article, name="Not Maria", email=EMAIL, body="Mail me.", ip="192.0.2.1", notify=True
    )
    assert queued("confirm-about") == queued("confirm-comment") == []
    assert CommenterAddress.objects.get(email=EMAIL).mail_stopped_at is not None
