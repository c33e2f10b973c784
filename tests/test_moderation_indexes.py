"""The indexes the moderators' admin reads from, there after migrate on either database: without
them its pages read every comment (or every admin log row) at a newsroom's size."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from comments.models import Comment


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


@pytest.mark.django_db
def test_what_waits_has_an_index_of_its_own_that_the_queue_reads():
    # At 20,000 waiting, counting them through the status index visited every row (20 ms of
    # the queue's page on PostgreSQL); this one holds only what waits.
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "comments_comment")
    assert constraints["comment_waiting_idx"]["columns"] == ["created_at", "id"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # An empty test table is read whole; the plan at a newsroom's size is wanted.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
        assert "comment_waiting_idx" in Comment.objects.pending().explain()
        assert "comment_waiting_idx" in Comment.objects.pending().order_by("created_at").explain()


@pytest.mark.django_db
def test_the_task_table_is_indexed_for_the_health_checks_counts():
    # /healthz counts the last hour's failed and retried mail, and mail left running: without
    # it each count read every mail row kept (0.5-0.8 s each at a year's 2 million rows).
    from django_tasks_db.models import DBTaskResult

    columns = _indexed_columns(DBTaskResult._meta.db_table)
    assert ["status", "queue_name", "finished_at"] in columns
    if connection.vendor == "postgresql":
        # The plan for a kept year of mail, most of it sent: on an empty table, or one autovacuum
        # sampled mid-run, the planner may as well read every mail row by the queue's own index.
        now = timezone.now()
        DBTaskResult.objects.bulk_create(
            DBTaskResult(
                status="FAILED" if n % 500 == 0 else "SUCCESSFUL",
                queue_name="mail",
                backend_name="default",
                task_path="comments.mail.send",
                args_kwargs={},
                enqueued_at=now - timedelta(minutes=n),
                run_after=now - timedelta(minutes=n),
                finished_at=now - timedelta(minutes=n),
                exception_class_path="",
                traceback="",
            )
            for n in range(5000)
        )
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {DBTaskResult._meta.db_table}")
            cursor.execute("SET LOCAL enable_seqscan = off")
        failed = DBTaskResult.objects.failed().filter(
            queue_name="mail", finished_at__gte=timezone.now() - timedelta(hours=1)
        )
        assert "task_status_finished_idx" in failed.explain()
