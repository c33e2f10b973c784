"""Django's check, with the database's own checks first (newsportal.checks.DatabaseFirst)."""

from django.core.management.commands import check

from newsportal.checks import DatabaseFirst


class Command(DatabaseFirst, check.Command):
    pass
