"""Rows named in one statement, a batch at a time. Each row named is a bound variable, and SQLite
refuses a statement with more than its limit ("too many SQL variables"): 999 before 3.32 (which
Django 5.2 still supports), 32,766 since, more on builds that raise it (Debian's). A statement
over it failed for good: the daily prune, its backlog never shrinking, failed every day.

One size for every database, not Django's connection.features.max_query_params: that says 999
on SQLite whatever the build and nothing on PostgreSQL, and one size keeps a single way through
the code, the one the tests run on both."""

from collections.abc import Iterator, Sequence

# Under SQLite's smallest limit, with room for the statement's own values (a status, a date).
ROWS_PER_STATEMENT = 900


def batches(rows: Sequence, *, per_row: int = 1) -> Iterator[Sequence]:
    """`rows` in slices one statement may name, in their order; `per_row`: the variables a
    statement binds for each row (an address and its keyed hashes, say)."""
    size = max(1, ROWS_PER_STATEMENT // per_row)
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
