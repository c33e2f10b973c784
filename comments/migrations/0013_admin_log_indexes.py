"""Two indexes on Django's admin log, which every decision writes to (one row each): a
comment's History page and an erase find the rows about one object, and the admin index's
"Recent actions" a moderator's latest. Django's LogEntry has neither (only its foreign keys,
one column each), so at 300,000 rows each of these read the whole log. Plain SQL that both
SQLite and PostgreSQL take; IF NOT EXISTS, so a database given them by hand migrates too."""

from django.db import migrations

INDEXES = {
    "admin_log_object_idx": "content_type_id, object_id",
    "admin_log_user_time_idx": "user_id, action_time",
}


class Migration(migrations.Migration):
    dependencies = [
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("comments", "0012_comment_search_trigrams"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON django_admin_log ({columns})",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, columns in INDEXES.items()
    ]
