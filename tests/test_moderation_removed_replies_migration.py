"""Migration 0027: published replies under a comment turned down after it was published (its
author's edit rejected) were off the site and the count for good; shown again under a
placeholder since, they are counted again in their story's count at the upgrade."""

import pytest
from django.utils import timezone

from articles.models import Article, Section
from tests.migration_steps import apps_at, back_to_the_latest


# Its rows restored after it (serialized_rollback), as the tests that commit after it expect.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_replies_under_a_comment_rejected_after_an_edit_are_counted_again():
    old = apps_at([("comments", "0026_policy_hide_after_reports_counts_networks")])
    # The stories' tables are as today (only the comments' migrations were taken back).
    section = Section.objects.create(name="Tech", slug="tech")
    story = Article.objects.create(
        title="Story",
        slug="story",
        standfirst="Lead.",
        body="Body.",
        section=section,
        status="published",
        published_at=timezone.now(),
        approved_comment_count=1,  # the comment below that stands; the others were not counted
    )
    comments = old.get_model("comments", "Comment").objects
    said = {"name": "A", "email": "a@example.com", "body": "Words.", "article_id": story.pk}
    edited = comments.create(status="rejected", **said)
    taken_down = comments.create(status="rejected", **said)
    standing = comments.create(status="approved", **said)
    for parent, status in [(edited, "approved"), (edited, "approved"), (taken_down, "rejected")]:
        comments.create(parent=parent, status=status, **said)
    comments.create(parent=standing, status="pending", **said)
    try:
        new = apps_at([("comments", "0027_count_replies_under_removed")])
        counts = new.get_model("articles", "Article").objects.values_list(
            "approved_comment_count", flat=True
        )
        assert list(counts) == [3]
    finally:
        back_to_the_latest()
