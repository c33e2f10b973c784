"""The daily prune and a moderator's delete (its after-commit forgetting) forget the same
addresses at once, on real PostgreSQL connections: both land, every address is forgotten, no
error. Each DELETE locked the rows in the order its plan met them: the prune's scan of the whole
table in the rows' order on disk, the delete's (a few addresses, on a large table) through the
address index, in alphabetical order. Here a third transaction holds the middle row while both
wait on it, each holding the row it met first; let go, they waited on each other and PostgreSQL
refused one (a deadlock). The rows are now locked in pk order first.

SQLite takes one writer at a time (the whole file), so nothing can be locked crosswise there:
the prune, then the delete's forgetting, and every address is forgotten all the same."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from comments.forgetting import forget_addresses
from comments.models import CommenterAddress
from tests.test_moderation_take_down_at_once import _both_wait_on_locks

# In pk order A, C, B; in alphabetical order B, C, A.
EMAILS = ["zoe@example.com", "mia@example.com", "ann@example.com"]

# The plans a large table gets: the prune reads it all, the delete looks up its few addresses.
WHOLE_TABLE = ["SET enable_indexscan = off", "SET enable_bitmapscan = off"]
THROUGH_THE_INDEX = ["SET enable_seqscan = off", "SET enable_bitmapscan = off"]


def _forget(plan, **only):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for line in plan:
                cursor.execute(line)
    forget_addresses(timezone.now(), **only)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_prune_and_a_deletes_forgetting_at_once_both_land():
    middle = [CommenterAddress.objects.create(email=email) for email in EMAILS][1]
    forgetting = [
        lambda: _forget(WHOLE_TABLE),
        lambda: _forget(THROUGH_THE_INDEX, email__in=EMAILS),
    ]

    if connection.vendor == "postgresql":
        _together(forgetting, held=CommenterAddress.objects.filter(pk=middle.pk))
    else:
        for forget in forgetting:
            forget()

    assert not CommenterAddress.objects.exists()


def _together(calls, *, held) -> None:
    """Each call in a thread of its own (its own connection), started while a transaction of
    this thread holds the `held` rows, let go once both wait on locks. An error in either (before:
    "deadlock detected") is raised here."""

    def run(call):
        try:
            call()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(len(calls)) as pool:
        with transaction.atomic():
            list(held.select_for_update())
            done = [pool.submit(run, call) for call in calls]
            both_waited = _both_wait_on_locks(len(calls))
        for each in done:
            each.result(timeout=30)
    assert both_waited
