"""A daily prune with a backlog of more addresses to forget than SQLite binds in one statement
(32,766 variables): every address is forgotten, or kept only as its owner's stop, and the run
says how many. Each DELETE named every address at once, one bound variable each: SQLite refused
it ("too many SQL variables"), the prune failed, and every later prune the same way. The same on
SQLite before 3.32 (999 variables), which the batches of 1,000 addresses still overran."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from comments.forgetting import forget_addresses_on_commit
from comments.models import ERASED_PREFIX, CommenterAddress, erased_email
from tests.sqlite_limits import BEFORE_3_32, USUAL, sqlite_variables_at_most

MANY = 33_000  # past SQLite's 32,766 variables in one statement
# A stop's older hashes were deleted by hash and pk: two variables each at least. Kept small:
# each stop is rewritten through a CASE per row (bulk_update), slower than a DELETE.
STOPS = 32_766 // 2 + 1


@pytest.fixture(autouse=True)
def _sqlites_usual_limit(db):
    with sqlite_variables_at_most(USUAL):
        yield


def _addresses(how_many=MANY, name="reader", **fields) -> list[str]:
    emails = [f"{name}{n}@example.com" for n in range(how_many)]
    CommenterAddress.objects.bulk_create(
        CommenterAddress(email=email, **fields) for email in emails
    )
    return emails


def test_the_prune_forgets_more_addresses_than_sqlite_binds_at_once(make_article, make_comment):
    _addresses()
    CommenterAddress.objects.create(email="still-writing@example.com")
    make_comment(make_article(), email="still-writing@example.com")
    out = StringIO()

    call_command("prune_comments", stdout=out)

    assert f"forgot {MANY} e-mail address(es) left with no comment" in out.getvalue()
    assert list(CommenterAddress.objects.values_list("email", flat=True)) == [
        "still-writing@example.com"
    ]


def test_the_prune_keeps_only_the_stops_of_more_addresses_than_sqlite_binds_at_once():
    emails = _addresses(STOPS, mail_stopped_at=timezone.now())

    call_command("prune_comments", verbosity=0)

    kept = set(CommenterAddress.objects.values_list("email", flat=True))
    assert kept == {erased_email(email) for email in emails}
    assert all(email.startswith(ERASED_PREFIX) for email in kept)


def test_a_deletes_forgetting_of_more_addresses_than_sqlite_binds_at_once(
    django_capture_on_commit_callbacks,
):
    emails = _addresses()

    with django_capture_on_commit_callbacks(execute=True):
        forget_addresses_on_commit(emails)

    assert not CommenterAddress.objects.exists()


def test_on_sqlite_before_3_32_the_prune_forgets_and_keeps_only_the_stops():
    _addresses(2_000)
    stops = _addresses(1_000, name="stopped", mail_stopped_at=timezone.now())
    said = StringIO()

    with sqlite_variables_at_most(BEFORE_3_32):
        call_command("prune_comments", stdout=said)

    assert "forgot 2000 e-mail address(es) left with no comment" in said.getvalue()
    kept = set(CommenterAddress.objects.values_list("email", flat=True))
    assert kept == {erased_email(email) for email in stops}


def test_on_sqlite_before_3_32_a_deletes_forgetting_lands(django_capture_on_commit_callbacks):
    emails = _addresses(2_000)

    with sqlite_variables_at_most(BEFORE_3_32), django_capture_on_commit_callbacks(execute=True):
        forget_addresses_on_commit(emails)

    assert not CommenterAddress.objects.exists()
