"""A commenter's own Delete (or the mailed Erase) pressed while the same owner's "Stop all mail"
goes through, on real PostgreSQL connections: both land, and the stop holds. Stop all mail locks
the address's row, then its comments (to drop their mail wishes); the Delete locked the comment,
then forgot the address (deleting its row): each waited on the other, and PostgreSQL refused
one (a deadlock: a server error, and the owner's stop lost when it was the Stop). Stop all mail
now locks the address's comments before its row (comments.forgetting's lock order), so the
second of the two waits for the first.

SQLite takes one writer at a time (the whole file), so nothing can be locked crosswise there:
the Stop, then the Delete, and the stop holds all the same."""

import pytest

from articles.models import Article
from comments import commenter_services, privacy
from comments.commenter_services import stop_all_mail
from comments.models import Comment, CommenterAddress
from tests.mail_helpers import verify
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
