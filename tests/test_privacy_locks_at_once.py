"""A commenter's presses that lock a comment and then write its address's row, met crosswise with
a Delete or an Erase of the same address's comments, on real PostgreSQL connections: both land.
Since 870a062 the Delete and the Erase locked the address first and then the comments, so each
of these waited on the other and PostgreSQL refused one ('deadlock detected': a server error,
the press lost). Every transaction now locks comments first and the address last
(comments.forgetting's lock order).

SQLite takes one writer at a time (the whole file), so nothing is locked crosswise there: the
press, then the removal, and the outcome is the same."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from articles.models import Article
from comments import ask_again as ask_again_module
from comments import commenter_services, forgetting, notifications, privacy, services, withdrawal
from comments.mail import queue_mail
from comments.models import Comment, CommenterAddress, ModerationPolicy, ReplySubscription
from comments.services import submit_comment
from tests.mail_helpers import queued, verify
from tests.test_moderation_take_down_at_once import _both_wait_on_locks

EMAIL = "maria@example.com"
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _at_once(first, second, module, name: str, monkeypatch, *, after: bool) -> None:
    """The first holds its comment's lock when the second starts, and goes on to the address
    (module.name, run before it: `after` the hooked call or just before it) only once the
    second waits on a lock: the order in which they met crosswise. Only the first's first call
    pauses (the second, or a later step of the first, may call it too). On SQLite, one after
    the other."""
    if connection.vendor != "postgresql":
        first()
        second()
        return
    hooked, holding, waited, errors = getattr(module, name), threading.Event(), [], []
    first_thread = []

    def pause_then(*args, **kwargs):
        if threading.get_ident() not in first_thread or holding.is_set():
            return hooked(*args, **kwargs)
        result = hooked(*args, **kwargs) if after else None
        holding.set()
        waited.append(_both_wait_on_locks(1))
        return result if after else hooked(*args, **kwargs)

    monkeypatch.setattr(module, name, pause_then)

    def run(call, wait=False):
        if not wait:
            first_thread.append(threading.get_ident())
        try:
            if wait:
                assert holding.wait(10)
            call()
        except Exception as exc:  # a server error: reported below, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=a) for a in [(first,), (second, True)]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)  # none hung on a lock
    assert errors == []  # before: "deadlock detected" for one of them
    assert waited == [True]


def _delete(comment):
    return lambda: privacy.delete_own_comment(comment=comment)


def test_send_mail_again_and_a_delete_at_once_both_land(article, make_comment, monkeypatch):
    now = timezone.now()
    address = CommenterAddress.objects.create(email=EMAIL, verified_at=now, mail_stopped_at=now)
    comment = make_comment(article, email=EMAIL, status="approved", notify_on_decision=True)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)

    resume = lambda: commenter_services.resume_mail(address_id=address.pk)  # noqa: E731
    _at_once(
        resume, _delete(comment), commenter_services, "_drop_mail_wishes", monkeypatch, after=True
    )

    assert not Comment.objects.exists()
    # Mail resumed, then its last comment deleted: nothing keeps the address.
    assert not CommenterAddress.objects.exists()
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0


def test_ask_again_and_a_delete_at_once_both_land(article, make_comment, monkeypatch):
    CommenterAddress.objects.create(email=EMAIL)
    comment = make_comment(article, email=EMAIL, notify_on_decision=True, owner_vouched=False)

    ask = lambda: ask_again_module.ask_again(comment_id=comment.pk)  # noqa: E731
    _at_once(ask, _delete(comment), ask_again_module, "ask_owner", monkeypatch, after=False)

    assert not Comment.objects.exists()
    # The confirmation asked about a comment gone before it went: it does not go.
    assert queued("confirm-about") == []
    assert not CommenterAddress.objects.exists()


def test_e_mail_me_about_replies_and_an_erase_at_once_both_land(article, make_comment, monkeypatch):
    CommenterAddress.objects.create(email=EMAIL)
    comment = make_comment(article, email=EMAIL, status="approved", owner_vouched=False)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)

    follow = lambda: commenter_services.follow_replies(comment_id=comment.pk)  # noqa: E731
    erase = lambda: privacy.erase_comments(email=EMAIL)  # noqa: E731
    _at_once(follow, erase, commenter_services, "ask_owner", monkeypatch, after=False)

    assert not Comment.objects.exists()
    assert not ReplySubscription.objects.exists()
    assert queued("confirm-about") == []
    assert not CommenterAddress.objects.exists()


def test_this_comment_is_mine_and_a_delete_at_once_both_land(article, make_comment, monkeypatch):
    verify(EMAIL)
    mine = make_comment(article, email=EMAIL, notify_on_decision=True, owner_vouched=False)
    waiting = make_comment(article, email=EMAIL, notify_on_decision=True, owner_vouched=False)

    confirm = lambda: commenter_services.confirm_comment_mail(comment_id=mine.pk)  # noqa: E731
    _at_once(
        confirm,
        _delete(mine),
        commenter_services,
        "ask_about_the_next_waiting",
        monkeypatch,
        after=False,
    )

    assert list(Comment.objects.values_list("pk", flat=True)) == [waiting.pk]
    # The owner's answer asked about the next comment waiting for it.
    assert [m["ref"] for m in queued("confirm-comment")] == [waiting.pk]


def test_a_delete_and_the_confirmation_link_at_once_both_land(article, make_comment, monkeypatch):
    """The other way round: the Delete holds its comment, then forgets the address (its last
    comment) while the confirmation link, which wrote the address's row and then waited for
    the comment to vouch for it, would have held the address."""
    address = CommenterAddress.objects.create(email=EMAIL)
    mine = make_comment(article, email=EMAIL, notify_on_decision=True, owner_vouched=False)

    confirm = lambda: commenter_services.confirm_address(  # noqa: E731
        address_id=address.pk, comment_id=mine.pk
    )
    _at_once(_delete(mine), confirm, privacy, "forget_addresses", monkeypatch, after=False)

    assert not Comment.objects.exists()
    # Deleted with its last comment, the address is forgotten, confirmed or not.
    assert not CommenterAddress.objects.exists()


def test_a_comment_posted_while_its_address_is_forgotten_still_asks_its_owner(article, monkeypatch):
    """The forgetting (its last comment deleted, or the prune) has deleted the address's row,
    not committed yet, when a comment asking for mail is posted with it: the post read the row
    and claimed it after the delete committed. Before, no row was left and no mail went."""
    CommenterAddress.objects.create(email=EMAIL)
    forget = lambda: forgetting.forget_addresses(timezone.now())  # noqa: E731
    post = lambda: submit_comment(  # noqa: E731
        article=article, name="Maria", email=EMAIL, body="Ask me.", ip="192.0.2.1", notify=True
    )
    _at_once(forget, post, forgetting, "keep_only_the_stops", monkeypatch, after=False)

    comment = Comment.objects.get()
    assert CommenterAddress.objects.filter(email=EMAIL).exists()
    assert [m["ref"] for m in queued("confirm-about")] == [comment.pk]


def test_a_delete_and_a_post_approved_at_once_on_the_same_story_both_land(
    article, make_article, make_comment, monkeypatch
):
    """A confirmed owner deletes a comment whose 'confirm it' mail still waits (the owner
    confirmed through an older one) while the same browser posts, approved at once, on that
    story: the delete claimed the address before the story's count row, the post the count row
    before the address. Review R6 met them crosswise."""
    ModerationPolicy.objects.create(auto_approve_returning=True)
    CommenterAddress.objects.create(email=EMAIL, verified_at=timezone.now())
    other = make_article()
    earlier = make_comment(other, email=EMAIL, status="approved", owner_vouched=False)
    mine = make_comment(
        article, email=EMAIL, status="approved", notify_on_decision=True, owner_vouched=False
    )
    make_comment(
        other, email=EMAIL, status="approved", notify_on_decision=True, owner_vouched=False
    )
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    queue_mail("confirm-about", mine.pk)

    def post():
        submit_comment(
            article=article,
            name="Maria",
            email=EMAIL,
            body="Again, with the figures.",
            ip="192.0.2.1",
            notify=True,
            written_before=[earlier.pk],
        )

    _at_once(_delete(mine), post, withdrawal, "confirmation_unsent", monkeypatch, after=True)
    on_the_story = Comment.objects.filter(article=article)
    assert not on_the_story.filter(pk=mine.pk).exists()
    assert list(on_the_story.values_list("body", "status")) == [
        ("Again, with the figures.", "approved")
    ]
    assert Article.objects.get(pk=article.pk).approved_comment_count == 1


def reply_to(answered, *, email=EMAIL, **fields):
    """A reply to `answered`, sent when called: by the owner of EMAIL unless told. Its comment
    is saved, then its mail wishes written (a confirmation claims the address's row), and its
    commit checks the comment answered (the foreign key, deferred)."""
    return lambda: submit_comment(
        article=answered.article,
        parent=answered,
        name="A reader",
        email=email,
        body="And another thing.",
        ip="192.0.2.1",
        notify=False,
        **fields,
    )


def test_the_confirmation_link_and_the_owners_reply_to_its_comment_at_once_both_land(
    article, make_comment, monkeypatch
):
    """The owner replies to their own comment, asking to hear of replies, as they follow the
    confirmation link about that comment: the reply claims the address's row for its
    confirmation mail and, at its commit, checks the comment it answers (its foreign key); the
    link locked that comment FOR UPDATE and then waited for the row: each waited on the other,
    and PostgreSQL refused one. The link now locks it FOR NO KEY UPDATE, as its UPDATE takes."""
    address = CommenterAddress.objects.create(email=EMAIL)
    mine = make_comment(
        article, email=EMAIL, status="approved", notify_on_decision=True, owner_vouched=False
    )
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)

    confirm = lambda: commenter_services.confirm_address(  # noqa: E731
        address_id=address.pk, comment_id=mine.pk
    )
    reply = reply_to(mine, notify_reply=True)
    _at_once(reply, confirm, notifications, "_claim", monkeypatch, after=True)

    assert Comment.objects.filter(parent=mine, email=EMAIL).exists()
    assert CommenterAddress.objects.get(pk=address.pk).verified_at is not None
    assert Comment.objects.get(pk=mine.pk).owner_vouched


@pytest.mark.parametrize("press", ["ask again", "e-mail me about replies"])
def test_a_press_on_a_comment_and_the_owners_reply_to_it_at_once_both_land(
    article, make_comment, press, monkeypatch
):
    """The same reply while its writer presses "Ask again" or "E-mail me about replies" on the
    status page of the comment it answers: the press locked that comment FOR UPDATE and then
    waited for the address's row (to claim its confirmation mail), which the reply held."""
    CommenterAddress.objects.create(email=EMAIL)
    asked = press == "ask again"
    mine = make_comment(
        article, email=EMAIL, status="approved", notify_on_decision=asked, owner_vouched=False
    )
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    if asked:
        pressed = lambda: ask_again_module.ask_again(comment_id=mine.pk)  # noqa: E731
    else:
        pressed = lambda: commenter_services.follow_replies(comment_id=mine.pk)  # noqa: E731

    # The reply holds the address's row once its wishes are written down.
    reply = reply_to(mine, notify_reply=True)
    _at_once(reply, pressed, services, "note_mail_wishes", monkeypatch, after=True)

    assert Comment.objects.filter(parent=mine, email=EMAIL).exists()
    # One confirmation mail, the reply's: the press found it asked for already.
    assert len(queued("confirm-about")) == 1
