"""An index of the task table by status, queue and finish time. /healthz counts the last
hour's failed and retried mail and looks for mail a killed worker left running; django-tasks
indexes only the queue and the tasks ready to run, so each count read every mail row kept (30
days of them; a year's, some 2 million rows, if the pruning cron line is missing: 0.5-0.8 s a
count, past the proxy probe's 3 s with a few at once). Plain SQL that both SQLite and
PostgreSQL take, as in 0013."""

from django.db import migrations

NAME = "task_status_finished_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
        ("comments", "0014_waiting_index"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON django_tasks_database_dbtaskresult "
            "(status, queue_name, finished_at)",
            f"DROP INDEX IF EXISTS {NAME}",
        )
    ]
