"""A regular erases everything they wrote, more comments than SQLite binds in one statement: 999
variables before SQLite 3.32, which Django 5.2 still supports. The erase named every comment in
its statements (to lock them, count them, keep a place for their replies, delete them, drop
their mail and forget them in the moderators' log), SQLite refused ("too many SQL variables"),
and the owner's erase failed with a server error, however often they pressed it."""

from django.contrib.admin.models import LogEntry

from articles.models import Article
from comments.audit import record
from comments.deletion import delete_comments
from comments.mail import queue_mail
from comments.models import Comment
from comments.privacy import erase_comments
from tests.mail_helpers import queued
from tests.sqlite_limits import BEFORE_3_32, sqlite_variables_at_most

REGULAR = "regular@example.com"
MANY = 2_000  # more than two batches of a statement


def test_an_erase_of_more_comments_than_sqlite_before_3_32_binds_at_once(
    article, make_comment, moderator
):
    Comment.objects.bulk_create(
        Comment(article=article, name="Rita Regular", email=REGULAR, body=f"Comment {n}.")
        for n in range(MANY - 2)
    )
    Comment.objects.filter(email=REGULAR).update(status="approved")
    # Sent last, so named in the last batch: its place is kept for another reader's reply.
    answered = make_comment(article, name="Rita Regular", email=REGULAR, status="approved")
    reply = make_comment(article, parent=answered, status="approved")
    waiting = make_comment(article, name="Rita Regular", email=REGULAR, notify_on_decision=True)
    queue_mail("confirm-about", waiting.pk)
    Article.objects.filter(pk=article.pk).update(approved_comment_count=MANY)
    record(moderator, Comment.objects.filter(email=REGULAR), "Approved")

    with sqlite_variables_at_most(BEFORE_3_32):
        assert erase_comments(email=REGULAR) == MANY

    assert list(Comment.objects.values_list("pk", flat=True)) == [answered.pk, reply.pk]
    kept = Comment.objects.get(pk=answered.pk)
    assert kept.withdrawn_at is not None and kept.email == kept.name == ""
    assert Article.objects.get(pk=article.pk).approved_comment_count == 1  # the reply
    assert queued("confirm-about") == []
    assert LogEntry.objects.count() == MANY
    assert not LogEntry.objects.filter(object_repr__contains="Rita").exists()


STORIES = 500  # each story's count moved names it twice (its lock, its change): past 999


def _stories_like(article, how_many: int) -> list[Article]:
    fields = [f for f in Article._meta.concrete_fields if not f.primary_key]
    copies = []
    for n in range(how_many):
        copy = Article(**{f.attname: getattr(article, f.attname) for f in fields})
        copy.slug = f"story-{n}"
        copies.append(copy)
    return Article.objects.bulk_create(copies)


def _one_approved_comment_on_each(stories) -> list[int]:
    Comment.objects.bulk_create(
        Comment(article=story, name="Rita Regular", email=REGULAR, body="Mine.", status="approved")
        for story in stories
    )
    pks = [story.pk for story in stories]
    Article.objects.filter(pk__in=pks).update(approved_comment_count=1)
    return pks


def test_an_erase_across_more_stories_than_sqlite_before_3_32_binds_at_once(article):
    stories = _one_approved_comment_on_each(_stories_like(article, STORIES))

    with sqlite_variables_at_most(BEFORE_3_32):
        # Before (review R3), the stories' counts were moved in one statement: refused.
        assert erase_comments(email=REGULAR) == STORIES

    counts = Article.objects.filter(pk__in=stories).values_list("approved_comment_count")
    assert set(counts) == {(0,)}


def test_a_moderators_delete_across_more_stories_than_sqlite_before_3_32_binds(article):
    stories = _one_approved_comment_on_each(_stories_like(article, STORIES))

    with sqlite_variables_at_most(BEFORE_3_32):
        assert delete_comments(Comment.objects.filter(email=REGULAR)) == STORIES

    assert not Comment.objects.exists()
    counts = Article.objects.filter(pk__in=stories).values_list("approved_comment_count")
    assert set(counts) == {(0,)}
