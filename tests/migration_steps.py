"""A test's database taken to a migration and back, for the tests of data migrations (mark them
django_db(transaction=True, serialized_rollback=True): their rows are restored after them)."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def apps_at(targets: list[tuple[str, str]]):
    """The database migrated to these targets; the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def back_to_the_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def models_at(targets: list[tuple[str, str]]):
    """The models as they were at these targets, the database left as it is: what an older
    release reads and writes with on today's schema (`make reload MIGRATE=1`)."""
    return MigrationExecutor(connection).loader.project_state(targets).apps
