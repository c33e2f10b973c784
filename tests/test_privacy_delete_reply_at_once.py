"""The owner of a comment replies to it, asking to hear of replies at an address not confirmed
yet, as they press Delete on its status page or Erase on the privacy page, on real PostgreSQL
connections: both land. The reply claimed the address's row for its confirmation mail and
checked the comment it answers only at its commit (its foreign key, deferred: FOR KEY SHARE);
the Delete and the Erase lock that comment FOR UPDATE (they delete it) and then forget the
address: each waited on the other, whichever came first, and PostgreSQL refused one ('deadlock
detected': a server error, the reply or the press lost). A reply now holds the comment it
answers before it writes anything (comments.forgetting's lock order).

SQLite takes one writer at a time, so nothing is locked crosswise there: one, then the other
(tests.test_privacy_locks_at_once._at_once), and the outcome is the same."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from articles.models import Article
from comments import notifications, privacy
from comments.models import Comment, CommenterAddress
from tests.mail_helpers import queued
from tests.test_privacy_locks_at_once import EMAIL, _at_once, reply_to

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
REPLY = "And another thing."


def _owners_comment(article, make_comment):
    CommenterAddress.objects.create(email=EMAIL)
    mine = make_comment(article, email=EMAIL, status="approved", owner_vouched=False)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    return mine


def _press(press, mine):
    if press == "delete":
        return lambda: privacy.delete_own_comment(comment=mine)
    return lambda: privacy.erase_comments(email=EMAIL)


def _reply(mine, told):
    """The owner's reply to `mine`, sent when called: what its writer is told goes in `told`."""
    send = reply_to(mine, notify_reply=True)

    def reply():
        try:
            told["status"] = send().status
        except ValidationError as exc:  # the form comes back, its words kept (comments.views)
            told["refused"] = exc.message_dict

    return reply


@pytest.mark.parametrize("press", ["delete", "erase"])
def test_the_owners_reply_then_a_delete_or_erase_of_its_comment_at_once_both_land(
    article, make_comment, press, monkeypatch
):
    """The reply has claimed the address's row when the press comes."""
    mine = _owners_comment(article, make_comment)
    told = {}
    reply = _reply(mine, told)

    _at_once(reply, _press(press, mine), notifications, "_claim", monkeypatch, after=True)

    assert told == {"status": "pending"}  # its writer was told it waits for a review
    # The comment's words are gone from the site and the records.
    assert not Comment.objects.filter(body=mine.body).exists()
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0
    if press == "delete":
        # Its place kept for the reply under it, which still asks its confirmation mail.
        placeholder = Comment.objects.get(pk=mine.pk)
        assert (placeholder.withdrawn_at is not None, placeholder.email) == (True, "")
        answer = Comment.objects.get(body=REPLY)
        assert (answer.parent_id, answer.status) == (mine.pk, "pending")
        assert [m["ref"] for m in queued("confirm-about")] == [answer.pk]
        assert CommenterAddress.objects.filter(email=EMAIL).exists()
    else:
        # The reply went with the rest: saved while the erase waited for the comment it answers
        # (PostgreSQL), it stayed with the address, name and IP in clear.
        assert not Comment.objects.exists()
        assert not CommenterAddress.objects.exists()
        assert queued("confirm-about") == []


@pytest.mark.parametrize("press", ["delete", "erase"])
def test_a_delete_or_erase_then_the_owners_reply_to_its_comment_at_once_both_land(
    article, make_comment, press, monkeypatch
):
    """The press holds the comment, deleted, when the reply comes: the reply is refused as a
    reply to a comment gone is (the form back, its words kept), and the address forgotten."""
    mine = _owners_comment(article, make_comment)
    told = {}
    reply = _reply(mine, told)
    hooked = "forget_addresses" if press == "delete" else "_forget_address"

    _at_once(_press(press, mine), reply, privacy, hooked, monkeypatch, after=False)

    assert told == {"refused": {"parent": ["You can only reply to a published comment."]}}
    assert not Comment.objects.exists()
    assert not CommenterAddress.objects.exists()
    assert queued("confirm-about") == []
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0


def test_the_owners_reply_and_a_comment_sent_just_after_it_then_an_erase_all_go(
    article, make_comment, monkeypatch
):
    """The owner's next comment, from another tab, is saved before the reply is (a later row
    than the reply's), and the erase reads it: the reply, come in while the erase waited, is
    an earlier row than one the erase holds. The erase lets its rows go and takes them all
    again in one pk order (as a moderator's delete of them takes them), the reply with them."""
    mine = _owners_comment(article, make_comment)
    told, claim = {}, notifications._claim

    def claim_then_another_tab_posts(*args, **kwargs):
        claimed = claim(*args, **kwargs)
        monkeypatch.setattr(notifications, "_claim", claim)  # once
        post = lambda: make_comment(article, email=EMAIL, body="From the other tab.")  # noqa
        if connection.vendor != "postgresql":
            post()  # one writer at a time: in the reply's transaction
            return claimed
        tab = threading.Thread(target=lambda: (post(), connections.close_all()))
        tab.start()
        tab.join(timeout=10)
        return claimed

    monkeypatch.setattr(notifications, "_claim", claim_then_another_tab_posts)
    erase = _press("erase", mine)

    _at_once(_reply(mine, told), erase, notifications, "_claim", monkeypatch, after=True)

    assert told == {"status": "pending"}
    assert not Comment.objects.exists()
    assert not CommenterAddress.objects.exists()
    assert queued("confirm-about") == []
