"""A comment taken down while a reply to it, approved at once (a returning commenter, as the
policy allows), is being saved, on real connections: both land, no server error, and the
story's count is what readers see. The reply moved its story's count before it locked anything
of the comment it answers (its commit's foreign key check did, FOR KEY SHARE), a take-down the
comment, then the story: sent first, the reply held the story and waited for the comment, the
take-down the other way round, and PostgreSQL refused one ('deadlock detected'). Taken down
first, the comment was still answerable to the reply, read before: the reply went up under it,
counted (1) where nothing shows. The reply now locks the comment it answers first, as the
take-down does, and reads it under that lock: one gone meanwhile leaves the reply waiting.

On PostgreSQL each goes on its own connection, queued in the order given behind a transaction
holding the story (tests.test_moderation_take_down_reply_meanwhile); on SQLite, which takes
one writer at a time, one after the other."""

import pytest

from articles.models import Article
from comments.deletion import delete_comments
from comments.models import Comment, ModerationPolicy
from comments.report_answers import REPLY_TAKEN_DOWN
from comments.services import ANSWERED_GONE, return_to_queue, submit_comment, take_down
from tests.mail_helpers import verify
from tests.test_moderation_take_down_reply_meanwhile import _in_order


def _bea_answers(article, make_article, make_comment, moderator, told):
    """A published comment, and Bea's reply to it, sent when called: approved at once."""
    ModerationPolicy.objects.create(auto_approve_returning=True)
    # Bea is back: her browser wrote an approved comment, on another story, at her address.
    earlier = make_comment(make_article(), status="approved", email="bea@example.com")
    verify("bea@example.com")
    parent = make_comment(article, status="approved", moderated_by=moderator)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)

    def reply():
        told["status"] = submit_comment(
            article=article,
            parent=parent,  # as the form read it: still published
            name="Bea",
            email="bea@example.com",
            body="A reply.",
            ip="192.0.2.1",
            notify=False,
            written_before=[earlier.pk],
        ).status

    return parent, reply


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("first", ["reply", "take-down"])
def test_a_comment_taken_down_while_an_auto_approved_reply_to_it_is_sent_both_land(
    article, make_article, make_comment, moderator, first
):
    told = {}
    parent, reply = _bea_answers(article, make_article, make_comment, moderator, told)
    sent = {"reply": reply, "take-down": lambda: take_down([parent], by=moderator)}
    then = "take-down" if first == "reply" else "reply"
    errors = _in_order(article, sent[first], sent[then])

    assert errors == []
    assert Comment.objects.get(pk=parent.pk).status == "rejected"
    [answer] = Comment.objects.filter(parent=parent)
    assert answer.body == "A reply."
    if first == "reply":
        # Published as its writer was told, then down with the comment it answers.
        assert told["status"] == "approved"
        assert (answer.status, answer.rejection_reason) == ("rejected", REPLY_TAKEN_DOWN)
    else:
        # Kept for a moderator, and its writer told it waits for a review.
        assert told["status"] == "pending"
        assert (answer.status, answer.held_because) == ("pending", [ANSWERED_GONE])
        assert answer.moderated_at is None
    assert not Comment.objects.counted().filter(article=article).exists()
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("change", ["back to the queue", "delete"])
def test_a_comment_put_back_or_deleted_as_a_reply_to_it_is_sent_leaves_the_count_right(
    article, make_article, make_comment, moderator, change
):
    """The reply first (it holds the comment it answers): the other waited for it, then worked
    from the rows it had read before, without it; the reply stayed counted (1) where nothing
    shows, for good. Locked again once its locks are held, it finds the reply."""
    told = {}
    parent, reply = _bea_answers(article, make_article, make_comment, moderator, told)
    changes = {
        "back to the queue": lambda: return_to_queue([parent], by=moderator),
        "delete": lambda: delete_comments(Comment.objects.filter(pk=parent.pk)),
    }

    errors = _in_order(article, reply, changes[change])

    assert errors == []
    assert told["status"] == "approved"
    if change == "delete":
        assert not Comment.objects.filter(article=article).exists()
    else:
        assert Comment.objects.get(pk=parent.pk).status == "pending"
    assert not Comment.objects.counted().filter(article=article).exists()
    assert Article.objects.get(pk=article.pk).approved_comment_count == 0
