"""Bylines put in order by a migration: the stories already out keep their authors, in the
alphabetical order they were printed in until then (the editor sets another from there)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


# Its rows restored after it (serialized_rollback), as the tests that commit after it expect.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_keeps_every_story_s_authors_in_the_alphabetical_order_they_had():
    before, after = (
        [("articles", "0017_search_reader_text")],
        [("articles", "0018_bylines_in_order")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    section = old.get_model("articles", "Section").objects.create(name="Tech", slug="tech")
    authors = {
        name: old.get_model("articles", "Author").objects.create(name=name, slug=slug)
        for name, slug in [("Rui Costa", "rui"), ("Ana Lopes", "ana"), ("Marta Ribeiro", "marta")]
    }
    story = old.get_model("articles", "Article").objects.create(
        title="Tram", slug="tram", standfirst="Lead.", body="Body.", section=section
    )
    story.authors.set(authors.values())
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps
        lines = new.get_model("articles", "Byline").objects.filter(article_id=story.pk)
        assert [(line.author.name, line.position) for line in lines.order_by("position")] == [
            ("Ana Lopes", 1),
            ("Marta Ribeiro", 2),
            ("Rui Costa", 3),
        ]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
