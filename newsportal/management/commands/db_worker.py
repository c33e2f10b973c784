"""manage.py db_worker: django-tasks-db's worker (mail, purges sent again), as make serve runs it
and restarts it. A database outage stops it (make serve starts it again): that is one ERROR
line naming the cause, not a traceback; a traceback stays for what nobody expected (and the
SIGTERM of a normal stop is an INFO line: newsportal.log_config). It overrides the stock
command (INSTALLED_APPS lists newsportal first)."""

import logging

from django.db import DatabaseError
from django_tasks_db.management.commands import db_worker

from newsportal.middleware import is_database_unavailable

logger = logging.getLogger("newsportal.worker")


class Command(db_worker.Command):
    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except DatabaseError as error:
            if not is_database_unavailable(error):
                raise
            logger.error(
                "worker stopped: the database is unreachable or takes no writes: %s: %s",
                type(error).__name__,
                " ".join(str(error).split()),
            )
            raise SystemExit(1) from None
