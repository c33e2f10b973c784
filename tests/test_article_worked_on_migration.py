"""Migration 0023 gives every draft a time it was last worked on (its place in the admin's list)
from its "Updated" time, by which the list placed drafts before: no draft moves at the upgrade, a
story taken down included (it moves up at its next change). A story out or scheduled, placed by
its publication time, is not written (the column's default, the upgrade's time): it is given its
own when taken down."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.migration_steps import apps_at, back_to_the_latest


# Its rows restored after it (serialized_rollback), as the tests that commit after it expect.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_draft_is_worked_on_when_it_was_updated_at_the_upgrade():
    old = apps_at([("articles", "0022_corrections")])
    section = old.get_model("articles", "Section").objects.create(name="Tech", slug="tech")
    stories = old.get_model("articles", "Article").objects
    now = timezone.now()
    week_ago, days_ago, yesterday = (now - timedelta(days=n) for n in (7, 5, 1))
    for slug, status, first_out, updated in [
        ("taken-down", "draft", week_ago, days_ago),
        ("never-out", "draft", None, yesterday),
        ("out", "published", week_ago, week_ago),
    ]:
        stories.create(
            title=slug,
            slug=slug,
            standfirst="Lead.",
            body="Body.",
            section=section,
            status=status,
            published_at=week_ago,
            first_published_at=first_out,
            updated_at=updated,
        )
    try:
        upgrade = timezone.now()
        new = apps_at([("articles", "0023_draft_worked_on")])
        worked_on = dict(
            new.get_model("articles", "Article").objects.values_list("slug", "worked_on_at")
        )
        out = worked_on.pop("out")
        assert worked_on == {"taken-down": days_ago, "never-out": yesterday}
        # Not written: the column's default, the upgrade's time (SQLite's clock reads ms).
        second = timedelta(seconds=1)
        assert upgrade - second <= out <= timezone.now() + second
    finally:
        back_to_the_latest()
