"""The comment lists' search for words (PostgreSQL only): trigram indexes on the name, address
and comment as Django's search reads them, UPPER(column) LIKE UPPER('%word%'), so a search is
not three scans of every comment. pg_trgm ships with PostgreSQL and is a trusted extension: the
database's owner may create it. SQLite, for development, reads the table as before."""

from django.db import migrations

COLUMNS = ["name", "email", "body"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS comment_{column}_trgm_idx ON comments_comment "
            f"USING gin (UPPER({column}) gin_trgm_ops)"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS comment_{column}_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [("comments", "0011_comment_time_indexes")]

    operations = [migrations.RunPython(forward, backward)]
