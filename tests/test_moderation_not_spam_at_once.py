"""The Spam list's "Not spam: approve selected" (and "Back to the queue" on a selection holding
spam) pressed as another moderator or the spam's writer acts on the same rows, on real
PostgreSQL connections: both land. The press locked only the ticked comments and their replies,
claimed the writer's address for the mail spam had never asked for (return_to_queue), then
locked the comment a ticked reply answers (decide) and the stories' count rows: a take-down of
that comment, the writer's held reply to it (it holds the comment, then claims the address) and
the writer's comment published at once on the same story (the story's row, then the address)
each met it crosswise, and PostgreSQL refused one ('deadlock detected': a server error, the
press or the comment lost). Now the comments answered are locked with the ticked ones, in one
pk order, and the stories before the address (comments.forgetting's lock order).

SQLite takes one writer at a time, so nothing is locked crosswise there: the press, then the
other (tests.test_privacy_locks_at_once._at_once), and the outcome is the same."""

import pytest

from articles.models import Article
from comments import services
from comments.models import Comment, CommenterAddress
from comments.not_spam import approve_spam
from comments.report_answers import REPLY_TAKEN_DOWN
from comments.services import mark_spam, return_to_queue, submit_comment, take_down
from tests.mail_helpers import queued
from tests.test_privacy_locks_at_once import EMAIL, _at_once, reply_to

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _spam(article, make_comment, moderator, **fields):
    """A comment of EMAIL's writer (not confirmed yet, asking to hear of the decision) that a
    moderator marked as spam: no mail asked for it."""
    CommenterAddress.objects.get_or_create(email=EMAIL)
    spam = make_comment(
        article, email=EMAIL, notify_on_decision=True, owner_vouched=False, **fields
    )
    mark_spam(comment=spam, by=moderator)
    return Comment.objects.get(pk=spam.pk)


def _not_spam(spam, moderator):
    return lambda: approve_spam([spam.pk], by=moderator, seen={spam.pk: spam.revision})


def _published(article, make_comment, **fields):
    comment = make_comment(article, status="approved", email="other@example.com", **fields)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    return comment


def _statuses():
    return dict(Comment.objects.values_list("pk", "status"))


def _count(article):
    return Article.objects.get(pk=article.pk).approved_comment_count


def test_not_spam_of_a_reply_and_a_take_down_of_its_comment_at_once_both_land(
    article, make_comment, moderator, second_moderator, monkeypatch
):
    parent = _published(article, make_comment)
    spam = _spam(article, make_comment, moderator, parent=parent)

    down = lambda: take_down(Comment.objects.filter(pk=parent.pk), by=second_moderator)  # noqa: E731
    pressed = _not_spam(spam, moderator)
    _at_once(pressed, down, services, "note_mail_wishes", monkeypatch, after=True)

    # Published, then taken down with the comment it answers.
    assert _statuses() == {parent.pk: "rejected", spam.pk: "rejected"}
    assert Comment.objects.get(pk=spam.pk).rejection_reason == REPLY_TAKEN_DOWN
    assert _count(article) == 0


def test_not_spam_of_a_reply_and_its_writers_held_reply_to_the_same_comment_both_land(
    article, make_comment, moderator, monkeypatch
):
    parent = _published(article, make_comment)
    spam = _spam(article, make_comment, moderator, parent=parent)

    reply, pressed = reply_to(parent, notify_reply=True), _not_spam(spam, moderator)
    _at_once(pressed, reply, services, "note_mail_wishes", monkeypatch, after=True)

    held = Comment.objects.get(parent=parent, body="And another thing.")
    assert _statuses() == {parent.pk: "approved", spam.pk: "approved", held.pk: "pending"}
    assert _count(article) == 2
    # One confirmation mail, the unspammed comment's: the reply found it asked for already.
    assert [m["ref"] for m in queued("confirm-about")] == [spam.pk]


def _post_published_at_once(article, monkeypatch):
    """The writer's next comment on the same story, published as it is sent (a returning
    commenter the policy trusts): its count row, then its address."""
    monkeypatch.setattr(services, "screen", lambda *args, **kwargs: (Comment.Status.APPROVED, []))
    return lambda: submit_comment(
        article=article, name="Maria", email=EMAIL, body="New words.", ip="192.0.2.1", notify=True
    )


def test_not_spam_and_its_writers_comment_published_at_once_on_the_story_both_land(
    article, make_comment, moderator, monkeypatch
):
    spam = _spam(article, make_comment, moderator)

    post, pressed = _post_published_at_once(article, monkeypatch), _not_spam(spam, moderator)
    _at_once(pressed, post, services, "note_mail_wishes", monkeypatch, after=True)

    posted = Comment.objects.get(body="New words.")
    assert _statuses() == {spam.pk: "approved", posted.pk: "approved"}
    assert _count(article) == 2
    assert [m["ref"] for m in queued("confirm-about")] == [spam.pk]


def test_back_to_the_queue_of_spam_and_a_published_comment_and_the_writers_post_both_land(
    article, make_comment, moderator, monkeypatch
):
    """The older way to the same crossing: "Back to the queue" on spam and a published comment
    of the same story claimed the spam writer's address, then moved the story's count."""
    up = _published(article, make_comment)
    spam = _spam(article, make_comment, moderator)

    back = lambda: return_to_queue([up, spam], by=moderator)  # noqa: E731
    post = _post_published_at_once(article, monkeypatch)
    _at_once(back, post, services, "note_mail_wishes", monkeypatch, after=True)

    posted = Comment.objects.get(body="New words.")
    assert _statuses() == {up.pk: "pending", spam.pk: "pending", posted.pk: "approved"}
    assert _count(article) == 1
    assert [m["ref"] for m in queued("confirm-about")] == [spam.pk]
