"""The daily prune deletes a rejected or spam comment 90 days (COMMENTS_KEEP_REJECTED_DAYS)
after the decision. A top-level comment turned down after it was published keeps the published
replies under it on the page, under "Comment removed by a moderator."; deleting it took every
reader's reply with it, unmailed, 90 days later, and the story's count dropped. Where published
replies hang on it, the prune now empties it into a placeholder instead: no name, address, IP
address, words or earlier versions kept, its status kept so it still reads as removed."""

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article
from comments.models import Comment, CommenterAddress, CommentVersion
from comments.services import reject
from tests.test_moderation_edit_rejected_replies import REMOVED, _article_page, _count, _edit

LONG_AGO_DAYS = settings.COMMENTS_KEEP_REJECTED_DAYS + 1


@pytest.fixture
def turned_down(reader, article, make_comment, moderator):
    """A's published comment, B's published reply to it, A's edit rejected 91 days ago."""
    now = timezone.now()
    first = make_comment(
        article,
        status="approved",
        moderated_at=now,
        name="Anna Author",
        email="anna@example.com",
        body="A says hello",
        ip_address="203.0.113.7",
    )
    reply = make_comment(
        article, parent=first, status="approved", moderated_at=now, body="B answers A"
    )
    Article.objects.filter(pk=article.pk).update(approved_comment_count=2)
    CommenterAddress.objects.create(email="anna@example.com")
    _edit(reader, first, "A says something vile")
    reject(comment=Comment.objects.get(pk=first.pk), by=moderator, reason="Abusive")
    long_ago = now - timedelta(days=LONG_AGO_DAYS)
    Comment.objects.filter(pk=first.pk).update(moderated_at=long_ago, created_at=long_ago)
    return first, reply


def _prune() -> str:
    said = StringIO()
    call_command("prune_comments", stdout=said)
    return said.getvalue()


def test_the_prune_keeps_the_replies_under_a_removed_comment(reader, article, turned_down):
    _first, reply = turned_down
    assert _count(article) == 1

    _prune()

    assert Comment.objects.get(pk=reply.pk).status == "approved"
    page = _article_page(reader, article)
    assert "B answers A" in page
    assert REMOVED in page
    assert _count(article) == 1
    assert reader.get(reply.status_url).status_code == 200


def test_the_prune_keeps_nothing_of_the_removed_comments_writer(reader, article, turned_down):
    first, _reply = turned_down
    assert CommentVersion.objects.filter(comment_id=first.pk).exists()

    _prune()

    row = Comment.objects.get(pk=first.pk)
    assert row.status == "rejected"
    assert (row.name, row.email, row.body, row.ip_address) == ("", "", "", None)
    assert row.rejection_reason == ""
    assert not CommentVersion.objects.filter(comment_id=first.pk).exists()
    assert not Comment.objects.filter(email="anna@example.com").exists()
    assert not Comment.objects.filter(body__contains="A says").exists()
    assert not CommenterAddress.objects.filter(email="anna@example.com").exists()
    page = _article_page(reader, article)
    assert "Anna Author" not in page and "A says" not in page


def test_a_second_prune_keeps_the_placeholder_while_replies_hang_on_it(
    reader, article, turned_down
):
    first, _reply = turned_down
    _prune()

    said = _prune()

    assert "Deleted 0 rejected or spam comment(s)" in said
    assert Comment.objects.filter(pk=first.pk).exists()
    assert "B answers A" in _article_page(reader, article)
    assert _count(article) == 1


def test_the_prune_deletes_the_placeholder_once_no_published_reply_hangs_on_it(
    article, turned_down
):
    first, reply = turned_down
    _prune()
    Comment.objects.filter(pk=reply.pk).update(status="rejected", moderated_at=timezone.now())
    Article.objects.filter(pk=article.pk).update(approved_comment_count=0)

    said = _prune()

    assert "Deleted 2 rejected or spam comment(s)" in said
    assert not Comment.objects.filter(pk__in=[first.pk, reply.pk]).exists()


def test_the_prune_still_deletes_an_old_rejected_comment_without_replies(article, make_comment):
    long_ago = timezone.now() - timedelta(days=LONG_AGO_DAYS)
    alone = make_comment(article, status="rejected", moderated_at=long_ago, body="Alone")
    spam = make_comment(article, status="spam", moderated_at=long_ago, body="Buy now")
    under_rejected = make_comment(
        article, parent=spam, status="rejected", moderated_at=timezone.now()
    )
    kept = make_comment(article, status="approved", body="Kept")

    said = _prune()

    assert "Deleted 3 rejected or spam comment(s)" in said
    assert list(Comment.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not Comment.objects.filter(pk__in=[alone.pk, spam.pk, under_rejected.pk]).exists()
