"""Django's migrate, with the database's own checks first (newsportal.checks.DatabaseFirst)."""

from django.core.management.commands import migrate

from newsportal.checks import DatabaseFirst


class Command(DatabaseFirst, migrate.Command):
    pass
