"""Drafts saved with a publication time to come, before a draft's "Updated" time became its last
edit: placed as edited at the upgrade, not at the top of the list until their date."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone


# Its rows restored after it (serialized_rollback), as the tests that commit after it expect.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_draft_dated_next_week_is_placed_as_edited_at_the_upgrade():
    before, after = (
        [("articles", "0020_search_hero_picture_words")],
        [("articles", "0021_admin_list_index")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    section = old.get_model("articles", "Section").objects.create(name="Tech", slug="tech")
    stories = old.get_model("articles", "Article").objects
    now = timezone.now()
    week, yesterday = now + timedelta(days=7), now - timedelta(days=1)
    for slug, status, when in [
        ("dated-next-week", "draft", week),
        ("scheduled", "published", week),
        ("edited-yesterday", "draft", yesterday),
    ]:
        stories.create(
            title=slug,
            slug=slug,
            standfirst="Lead.",
            body="Body.",
            section=section,
            status=status,
            published_at=when,
            updated_at=when,
        )
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps
        updated = dict(
            new.get_model("articles", "Article").objects.values_list("slug", "updated_at")
        )
        assert now <= updated["dated-next-week"] <= timezone.now()
        assert updated["scheduled"] == week  # its time: it goes out then, unupdated
        assert updated["edited-yesterday"] == yesterday
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
