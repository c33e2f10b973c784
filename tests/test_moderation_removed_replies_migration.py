"""Migration 0027: published replies under a comment turned down after it was published (its
author's edit rejected) were off the site and the count for good; shown again under a
placeholder since, they are counted again in their story's count at the upgrade, and no longer
counted once it is taken back (the release before showed them nowhere)."""

import pytest
from django.utils import timezone

from articles.models import Article, Section
from tests.migration_steps import apps_at, back_to_the_latest

BEFORE = [("comments", "0026_policy_hide_after_reports_counts_networks")]
AFTER = [("comments", "0027_count_replies_under_removed")]


def _stories_with_replies(old):
    """A story counting its one standing comment, with two published replies under a comment
    rejected after an edit (uncounted before 0027), a reply taken down and one waiting; and
    another story counting its one comment."""
    # The stories' tables are as today (only the comments' migrations were taken back).
    section = Section.objects.create(name="Tech", slug="tech")
    # Each counts the one comment below that stands; the others were not counted.
    story, other = (_story(section, slug) for slug in ("story", "other"))
    comments = old.get_model("comments", "Comment").objects
    said = {"name": "A", "email": "a@example.com", "body": "Words.", "article_id": story.pk}
    edited = comments.create(status="rejected", **said)
    taken_down = comments.create(status="rejected", **said)
    standing = comments.create(status="approved", **said)
    for parent, status in [(edited, "approved"), (edited, "approved"), (taken_down, "rejected")]:
        comments.create(parent=parent, status=status, **said)
    comments.create(parent=standing, status="pending", **said)
    # The other story has no reply under a removed comment: its count never moves.
    comments.create(**{**said, "article_id": other.pk, "status": "approved"})


def _story(section, slug: str):
    return Article.objects.create(
        title=slug.title(),
        slug=slug,
        standfirst="Lead.",
        body="Body.",
        section=section,
        status="published",
        published_at=timezone.now(),
        approved_comment_count=1,
    )


def _counts(apps) -> list[int]:
    stories = apps.get_model("articles", "Article").objects.order_by("pk")
    return list(stories.values_list("approved_comment_count", flat=True))


# Its rows restored after it (serialized_rollback), as the tests that commit after it expect.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_replies_under_a_comment_rejected_after_an_edit_are_counted_again():
    _stories_with_replies(apps_at(BEFORE))
    try:
        assert _counts(apps_at(AFTER)) == [3, 1]
    finally:
        back_to_the_latest()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_taken_back_the_replies_under_a_removed_comment_are_uncounted_again():
    """The release before 0027 shows no reply under a removed comment: taken back (`migrate
    comments 0026`, before that release is put back), each story counts what it showed."""
    old = apps_at(BEFORE)
    _stories_with_replies(old)
    statuses = sorted(old.get_model("comments", "Comment").objects.values_list("status", "pk"))
    try:
        apps_at(AFTER)
        again = apps_at(BEFORE)
        assert _counts(again) == [1, 1]
        # Only the counts move: every comment is there, as it was.
        comments = again.get_model("comments", "Comment").objects
        assert sorted(comments.values_list("status", "pk")) == statuses
        # And forward once more, counted again: no count drifts over a round trip.
        assert _counts(apps_at(AFTER)) == [3, 1]
    finally:
        back_to_the_latest()
