"""A comment deleted (by its author, or a moderator) while a reply to it is being saved, on real
connections: no server error. A reply held for review locked nothing of the comment it answers
(one approved at once did, since 318535b): the deletion read no reply (not committed yet), so
its author's Delete removed the comment instead of keeping its place, and a moderator's left the
reply out; the reply's commit then checked its foreign key (Django's are DEFERRABLE INITIALLY
DEFERRED) against a comment gone: an IntegrityError, a server error for the reader, the reply
lost. Deleted first, the reply (held, or approved at once: the comment "not answerable" kept
it waiting) was saved all the same, and failed alike. Every reply now locks the comment it
answers first: a deletion waits for it and finds it (its author's keeps the place, a
moderator's deletes it too), or went first, and the reply is refused as the form refuses one to
a comment gone ("You can only reply to a published comment.", the form kept: comments.views).

On PostgreSQL each goes on its own connection, queued in the order given behind a transaction
holding the story (tests.test_moderation_take_down_reply_meanwhile); on SQLite, which takes
one writer at a time, one after the other."""

import pytest
from django.core.exceptions import ValidationError

from articles.models import Article
from comments.models import Comment
from comments.services import delete_comments
from comments.withdrawal import withdraw_comment
from tests import test_moderation_take_down_auto_approved_reply as at_once
from tests.test_moderation_take_down_reply_meanwhile import _in_order, _reply


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
            told["refused"] = list(exc.message_dict)

    return parent, reply


def _deleted(parent, by):
    if by == "author":
        return lambda: withdraw_comment(comment=parent)
    return lambda: delete_comments(Comment.objects.filter(pk=parent.pk))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("by", ["author", "moderator"])
def test_a_comment_deleted_while_a_held_reply_to_it_is_sent_finds_it(
    article, make_article, make_comment, moderator, by
):
    told = {}
    parent, reply = _bea_answers(article, make_article, make_comment, moderator, True, told)

    errors = _in_order(article, reply, _deleted(parent, by))

    assert errors == []
    assert told == {"status": "pending"}
    if by == "author":
        # Its place kept for the reply, which waits for a moderator under it.
        parent = Comment.objects.get(pk=parent.pk)
        assert (parent.status, parent.withdrawn_at is not None) == ("approved", True)
        [answer] = Comment.objects.filter(parent=parent)
        assert (answer.status, answer.body) == ("pending", "A reply.")
    else:
        assert not Comment.objects.filter(article=article).exists()
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("by", ["author", "moderator"])
@pytest.mark.parametrize("held", [True, False], ids=["held", "approved at once"])
def test_a_reply_sent_as_the_comment_it_answers_is_deleted_is_refused(
    article, make_article, make_comment, moderator, by, held
):
    told = {}
    parent, reply = _bea_answers(article, make_article, make_comment, moderator, held, told)

    errors = _in_order(article, _deleted(parent, by), reply)

    assert errors == []
    assert told == {"refused": ["parent"]}  # the form comes back, its text kept
    assert not Comment.objects.filter(article=article).exists()
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0
