"""A comment deleted (by its author, or a moderator) while a reply to it is being saved: no
server error. The deletion, not seeing the reply (not committed yet), removed the comment, and
the reply's commit checked its foreign key (Django's are DEFERRABLE INITIALLY DEFERRED) against
a comment gone: an IntegrityError, a server error for the reader, the words lost. The reply is
now refused as the form refuses one to a comment gone ("You can only reply to a published
comment.", the form given back with the text: comments.views), nothing of it kept.

Deleted after the reply began, it is found: a held reply holds the comment it answers FOR KEY
SHARE (hold_answered), as its foreign key check does, and a deletion waits for it. Not FOR NO
KEY UPDATE, which every reply took in b895f19 (reverted: it deadlocked with "Stop all mail",
review R4; the last test) and which would queue other replies and presses on the comment.

On PostgreSQL each goes on its own connection, queued in the order given behind a transaction
holding the story (tests.test_moderation_take_down_reply_meanwhile); on SQLite, which takes one
writer at a time, one after the other."""

import threading
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from comments import services
from comments.commenter_services import stop_all_mail
from comments.deletion import delete_comments
from comments.models import Comment, CommenterAddress
from comments.services import submit_comment
from comments.withdrawal import withdraw_comment
from tests import test_moderation_take_down_auto_approved_reply as at_once
from tests.test_comment_form_errors import _post, _summary
from tests.test_moderation_take_down_at_once import _both_wait_on_locks
from tests.test_moderation_take_down_reply_meanwhile import _in_order, _reply

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _bea_answers(article, make_article, make_comment, moderator, held, told):
    """A published comment (no reply yet), and Bea's reply to it, sent when called: held for
    review (the policy's default), or approved at once (she is back)."""
    if held:
        parent = make_comment(article, status="approved")
        Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
        send = lambda: told.update(status=_reply(article, parent).status)  # noqa: E731
    else:
        parent, send = at_once._bea_answers(article, make_article, make_comment, moderator, told)

    def reply():
        try:
            send()
        except ValidationError as exc:
            told["refused"] = exc.message_dict

    return parent, reply


def _deleted(parent, by):
    if by == "author":
        return lambda: withdraw_comment(comment=parent)
    return lambda: delete_comments(Comment.objects.filter(pk=parent.pk))


REFUSED = {"refused": {"parent": ["You can only reply to a published comment."]}}


@pytest.mark.parametrize("by", ["author", "moderator"])
def test_a_comment_deleted_while_a_held_reply_to_it_is_sent(
    article, make_article, make_comment, moderator, by
):
    told = {}
    parent, reply = _bea_answers(article, make_article, make_comment, moderator, True, told)

    errors = _in_order(article, reply, _deleted(parent, by))

    assert errors == []
    # The deletion finds the reply sent first: on PostgreSQL it waits for the reply, which holds
    # the comment it answers (hold_answered); before, it read no reply and went, and the reply's
    # commit found the comment gone: refused, the reader's words lost all the same.
    assert told == {"status": "pending"}
    if by == "author":  # its place kept for the reply, waiting for a moderator under it
        kept = Comment.objects.get(pk=parent.pk)
        assert kept.withdrawn_at is not None
        assert list(kept.replies.values_list("status", "body")) == [("pending", "A reply.")]
    else:
        assert not Comment.objects.filter(article=article).exists()
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0


@pytest.mark.parametrize("by", ["author", "moderator"])
@pytest.mark.parametrize("held", [True, False], ids=["held", "approved at once"])
def test_a_reply_sent_as_the_comment_it_answers_is_deleted_is_refused(
    article, make_article, make_comment, moderator, by, held
):
    told = {}
    parent, reply = _bea_answers(article, make_article, make_comment, moderator, held, told)

    errors = _in_order(article, _deleted(parent, by), reply)

    assert errors == []
    assert told == REFUSED
    assert not Comment.objects.filter(article=article).exists()
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0


def test_a_reader_whose_reply_s_comment_is_deleted_as_it_is_saved_gets_the_form_back(
    reader, article, approved_comment, comment_form_data, settings
):
    # Deleted by its author after every check the form and the model make, before the reply is
    # saved. Before, a server error, the words lost.
    settings.COMMENTS_MODERATOR_EMAILS = ["mod@example.com"]
    data = comment_form_data(
        article, parent=approved_comment.pk, body="I answer the Early Bird", notify="on"
    )
    checked = Comment.full_clean

    def checked_then_deleted(comment, *args, **kwargs):
        checked(comment, *args, **kwargs)
        withdraw_comment(comment=approved_comment)

    with mock.patch.object(Comment, "full_clean", checked_then_deleted):
        html = _post(reader, article, data)

    _, problems, _ = _summary(html)
    assert problems == ["You can only reply to a published comment."]
    assert "no longer on the page" in html and "I answer the Early Bird" in html
    # Nothing half-written: no reply, no mail to moderators nor confirmation mail queued.
    assert not Comment.objects.filter(article=article).exists()
    assert not DBTaskResult.objects.exists()
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0


def test_a_reply_and_stop_all_mail_at_once_both_land(article, make_comment):
    # Review R4: a reply that locked the comment it answers, then claimed its address (in
    # note_mail_wishes), and "Stop all mail" (the address, then its comments) waited on each
    # other: "deadlock detected", the reply's words lost. Here the stop comes between the
    # reply's save and its mail wishes (on SQLite, after the reply).
    email = "eve@example.com"
    parent = make_comment(
        article, status="approved", email=email, owner_vouched=True, notify_on_decision=True
    )
    address = CommenterAddress.objects.create(email=email, verified_at=timezone.now())
    errors, statuses, stopped = [], [], threading.Event()
    real = services.note_mail_wishes

    def stop():
        try:
            stop_all_mail(address_id=address.pk)
        except Exception as exc:
            errors.append(f"stop: {str(exc).splitlines()[0]}")
        finally:
            stopped.set()

    def stop_meanwhile(*args, **kwargs):
        if connection.vendor == "postgresql":
            threading.Thread(target=lambda: (stop(), connections.close_all())).start()
            # The stop runs through, or waits on a lock this reply holds: no longer any.
            stopped.wait(10) or _both_wait_on_locks(1)
        return real(*args, **kwargs)

    def reply():
        try:
            statuses.append(
                submit_comment(
                    article=article,
                    parent=parent,
                    name="Eve",
                    email=email,
                    body="Me again, from my phone.",
                    ip="192.0.2.7",
                    notify=True,
                ).status
            )
        except Exception as exc:
            errors.append(f"reply: {str(exc).splitlines()[0]}")

    with mock.patch.object(services, "note_mail_wishes", stop_meanwhile):
        reply()
        if connection.vendor != "postgresql":
            stop()
    assert stopped.wait(30)

    assert (errors, statuses) == ([], ["pending"])
    assert CommenterAddress.objects.get(pk=address.pk).mail_stopped_at is not None
    assert Comment.objects.get(body="Me again, from my phone.").status == "pending"
