"""A reply still waiting in the queue under a top-level comment turned down after it was
published (its author's edit rejected): the daily prune deleted that comment 90 days after the
decision, and the waiting reply with it, unread and unmailed, when no published reply hung on
it. The prune now keeps the comment, emptied into its placeholder, while a reply waits under
it, as a commenter's own delete keeps the place of a waiting reply (comments.withdrawal); and
approved, the reply is published under "Comment removed by a moderator.", beside the replies
published before the rejection, as they are. Under a comment taken down (its replies came down
with it) a waiting reply still cannot be published, but its place is kept too: a moderator
decides on it, and the next prune deletes both once it is rejected."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from comments.services import reject, take_down
from tests.test_moderation_edit_rejected_replies import REMOVED, _article_page, _count, _edit
from tests.test_privacy_prune_keeps_replies import LONG_AGO_DAYS, _prune

CHANGELIST = "/admin/comments/comment/"


def _long_ago():
    return timezone.now() - timedelta(days=LONG_AGO_DAYS)


@pytest.fixture
def waiting_under_removed(reader, article, make_comment, moderator):
    """A's published comment, B's reply to it waiting in the queue, A's edit rejected."""
    now = timezone.now()
    first = make_comment(
        article, status="approved", moderated_at=now, name="Anna Author", body="A says hello"
    )
    reply = make_comment(article, parent=first, body="B answers A")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    _edit(reader, first, "A says something vile")
    reject(comment=Comment.objects.get(pk=first.pk), by=moderator, reason="Abusive")
    return first, reply


def _approve(client, comment):
    return client.post(f"{CHANGELIST}{comment.pk}/approve/")


def _old(comment) -> None:
    Comment.objects.filter(pk=comment.pk).update(moderated_at=_long_ago(), created_at=_long_ago())


def test_the_prune_keeps_a_waiting_reply_and_approved_it_shows_under_the_placeholder(
    reader, article, moderator_client, waiting_under_removed
):
    first, reply = waiting_under_removed
    _old(first)

    said = _prune()

    assert "Deleted 0 rejected or spam comment(s)" in said
    kept = Comment.objects.get(pk=reply.pk)
    assert (kept.status, kept.body) == ("pending", "B answers A")
    row = Comment.objects.get(pk=first.pk)
    assert (row.status, row.name, row.email, row.body) == ("rejected", "", "", "")
    queue = moderator_client.get(CHANGELIST).content.decode()
    assert "B answers A" in queue
    assert "In reply to a comment since removed; its words are no longer kept." in queue
    assert "In reply to <bdi></bdi>" not in queue

    assert _approve(moderator_client, reply).status_code == 302

    assert Comment.objects.get(pk=reply.pk).status == "approved"
    page = _article_page(reader, article)
    assert "B answers A" in page
    assert REMOVED in page
    assert "Anna Author" not in page and "A says" not in page
    assert _count(article) == 1
    assert "approved</strong> and published" in reader.get(reply.status_url).content.decode()


def test_a_waiting_reply_under_a_removed_comment_is_told_it_waits_and_can_be_published(
    reader, article, moderator_client, waiting_under_removed
):
    _first, reply = waiting_under_removed
    status_page = reader.get(reply.status_url).content.decode()
    assert "<strong>waiting for review</strong>" in status_page
    assert "cannot be published" not in status_page

    _approve(moderator_client, reply)

    page = _article_page(reader, article)
    assert "B answers A" in page
    assert REMOVED in page
    assert _count(article) == 1


def taken_down_and_pruned(article, make_comment, moderator) -> tuple:
    """A's published comment taken down long ago, B's reply to it waiting, then the prune."""
    first = make_comment(article, status="approved", moderated_at=timezone.now(), body="A says")
    reply = make_comment(article, parent=first, body="B answers A")
    Article.objects.filter(pk=article.pk).update(approved_comment_count=1)
    take_down([first], by=moderator, reason="Abusive")
    Comment.objects.filter(pk=first.pk).update(taken_down_at=_long_ago())
    _prune()
    return first, reply


def test_under_a_comment_taken_down_a_waiting_reply_keeps_its_place_but_is_not_published(
    reader, article, make_comment, moderator, moderator_client
):
    first, reply = taken_down_and_pruned(article, make_comment, moderator)

    assert Comment.objects.get(pk=reply.pk).status == "pending"
    assert "cannot be published" in reader.get(reply.status_url).content.decode()
    _approve(moderator_client, reply)
    assert Comment.objects.get(pk=reply.pk).status == "pending"  # its thread came down
    assert "B answers A" not in _article_page(reader, article)
    assert _count(article) == 0

    reject(comment=Comment.objects.get(pk=reply.pk), by=moderator, reason="Off topic")
    said = _prune()

    assert "Deleted 2 rejected or spam comment(s)" in said
    assert not Comment.objects.filter(pk__in=[first.pk, reply.pk]).exists()
