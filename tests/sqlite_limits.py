"""SQLite's limit on the variables one statement may bind, held where a test sets it: some builds
(Debian's, this machine's) raise it to 250,000, so a statement naming 40,000 rows passes here and
fails on a stock build (32,766 since SQLite 3.32, 999 before)."""

import contextlib
import sqlite3

from django.db import connection

USUAL = 32_766  # SQLite 3.32 and later
BEFORE_3_32 = 999  # still supported by Django 5.2 (3.31 and later)


@contextlib.contextmanager
def sqlite_variables_at_most(limit: int):
    """This thread's connection binds at most `limit` variables a statement (on SQLite)."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    which = sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER
    raised = connection.connection.setlimit(which, limit)
    try:
        yield
    finally:
        connection.connection.setlimit(which, raised)
