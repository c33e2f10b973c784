"""The indexes the moderators' admin reads from, there after migrate on either database: without
them its pages read every comment (or every admin log row) at a newsroom's size."""

import pytest
from django.db import connection


def _indexed_columns(table: str) -> list[list[str]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [c["columns"] for c in constraints.values() if c["index"]]


@pytest.mark.django_db
def test_comments_are_indexed_by_when_they_came_and_when_they_were_decided():
    columns = _indexed_columns("comments_comment")

    assert ["created_at", "id"] in columns  # the lists' order, the chart's received per day
    assert ["moderated_at"] in columns  # decided per day, the median, what waited


@pytest.mark.django_db
def test_the_admin_log_is_indexed_by_object_and_by_who_acted_when():
    columns = _indexed_columns("django_admin_log")

    assert ["content_type_id", "object_id"] in columns  # a comment's History, an erase
    assert ["user_id", "action_time"] in columns  # the admin index's "Recent actions"
