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
from comments import commenter_services, notifications, privacy, services
from comments.commenter_services import stop_all_mail
from comments.models import Comment, CommenterAddress, ModerationPolicy, ReplySubscription
from comments.services import submit_comment
from tests.mail_helpers import queued, verify
from tests.test_commenter_privacy import mailed_to
from tests.test_privacy_locks_at_once import _at_once, reply_to

EMAIL = "maria@example.com"
REGULAR = "ann@example.com"


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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("first", ["reply", "stop"])
def test_a_reply_and_stop_all_mail_at_once_the_reply_is_saved_and_the_stop_holds(
    article, make_article, make_comment, first, monkeypatch
):
    """A regular's reply, published at once, to a comment whose owner presses Stop all mail
    and had asked to hear of replies. The reply locks the comment it answers, then the story's
    count; the Stop locks the owner's comments, then the address's row, then drops the
    comments' wishes: either waits for the other, never both at once."""
    ModerationPolicy.objects.create(auto_approve_returning=True)
    address = verify(EMAIL)
    answered = make_comment(article, email=EMAIL, status="approved", notify_on_decision=True)
    ReplySubscription.objects.create(comment=answered)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    verify(REGULAR)
    earlier = make_comment(make_article(), email=REGULAR, status="approved")

    reply = reply_to(answered, email=REGULAR, written_before=[earlier.pk])
    stop = lambda: stop_all_mail(address_id=address.pk)  # noqa: E731
    if first == "reply":
        # The reply holds the comment it answers when the Stop starts, and tells its owner of
        # the reply once the Stop waits on that comment (on SQLite: the reply, then the Stop).
        _at_once(reply, stop, services, "notify_subscribers", monkeypatch, after=False)
    else:
        # The Stop holds the owner's comment and the address's row when the reply starts, and
        # drops the wishes once the reply waits on that comment.
        _at_once(stop, reply, commenter_services, "_drop_mail_wishes", monkeypatch, after=False)

    assert Comment.objects.get(parent=answered).status == Comment.Status.APPROVED
    assert Article.objects.get(pk=article.pk).approved_comment_count == 2
    assert CommenterAddress.objects.get(pk=address.pk).mail_stopped_at is not None
    assert not ReplySubscription.objects.filter(comment=answered).exists()
    assert mailed_to(EMAIL) == []  # not about the reply, nor anything else


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("first", ["reply", "stop"])
@pytest.mark.parametrize("answering", ["another", "own"])
def test_the_owners_reply_asking_for_mail_and_stop_all_mail_at_once_mail_nothing(
    article, make_comment, first, answering, monkeypatch
):
    """The owner, who stopped mail from the confirmation mail without confirming, replies and
    asks to hear of replies while a Stop of theirs goes through. The reply claims the address's
    row for its confirmation mail and, at its commit, checks the comment it answers (its foreign
    key); the Stop locks the address's comments, then that row. Answering their own comment, the
    reply waited for the Stop's FOR UPDATE on it while the Stop waited for the row: PostgreSQL
    refused the Stop ('deadlock detected'), the stop lost. Now either waits for the other."""
    address = CommenterAddress.objects.create(email=EMAIL)
    make_comment(article, email=EMAIL, notify_on_decision=True, owner_vouched=False)
    if answering == "own":
        answered = make_comment(article, email=EMAIL, status="approved", owner_vouched=False)
    else:
        answered = make_comment(article, status="approved")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)

    reply = reply_to(answered, notify_reply=True)
    stop = lambda: stop_all_mail(address_id=address.pk)  # noqa: E731
    if first == "reply":
        # The reply has claimed the address's row for its confirmation when the Stop starts,
        # and goes on to queue the mail and commit once the Stop waits on that row.
        _at_once(reply, stop, notifications, "_claim", monkeypatch, after=True)
    else:
        # The Stop holds the comments and the address's row when the reply starts, and drops
        # the wishes once the reply waits on that row.
        _at_once(stop, reply, commenter_services, "_drop_mail_wishes", monkeypatch, after=False)

    assert Comment.objects.filter(parent=answered, email=EMAIL).exists()
    assert CommenterAddress.objects.get(pk=address.pk).mail_stopped_at is not None
    assert mailed_to(EMAIL) == []  # no confirmation mail, now or later
