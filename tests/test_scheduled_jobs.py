"""A cron line missing or broken fails nothing anyone sees (IP addresses kept past what the
privacy page promises, tables growing), so /healthz lists the scheduled jobs that have not run
when they should have, and the admin's front page tells superusers which and how to mend it."""

import html
import re
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from comments.mail import deliver
from newsportal.caching import purge_again
from newsportal.models import JobRun

OURS = {  # each of our commands, and how long after its last run it is late
    "remind_moderators": timedelta(minutes=30),
    "requeue_mail": timedelta(hours=1),
    "prune_comments": timedelta(days=2),
    "prune_kept_pictures": timedelta(hours=6),
}
MAIL_PRUNING = "prune_db_task_results --queue-name mail"
PURGE_PRUNING = "prune_db_task_results --queue-name purge"


def overdue(client) -> list[str]:
    response = client.get("/healthz")
    assert response.status_code == 200  # the proxy's probe keeps the site in
    return response.json()["jobs_overdue"]


def last_ran(name: str, ago: timedelta) -> None:
    JobRun.objects.update_or_create(name=name, defaults={"finished_at": timezone.now() - ago})


def expired_session(ago: timedelta) -> None:
    Session.objects.create(
        session_key=f"expired{ago.days}".ljust(32, "x"),
        session_data="",
        expire_date=timezone.now() - ago,
    )


def finished_task(queue: str, ago: timedelta, status: str = "SUCCESSFUL") -> None:
    if queue == "mail":
        deliver.enqueue("reply", 1)
    else:
        purge_again.enqueue(["home"], [], 0.0)
    DBTaskResult.objects.filter(queue_name=queue).update(
        status=status, started_at=timezone.now() - ago, finished_at=timezone.now() - ago
    )


@pytest.mark.parametrize("name", OURS)
def test_our_job_is_late_only_once_its_allowance_has_passed(client, cron_on_time, name):
    last_ran(name, OURS[name] - timedelta(minutes=1))
    assert overdue(client) == []

    last_ran(name, OURS[name] + timedelta(minutes=1))
    assert overdue(client) == [name]


@pytest.mark.parametrize("name", OURS)
def test_running_our_job_takes_it_off_the_list(client, db, name):
    last_ran(name, timedelta(days=3))
    assert name in overdue(client)

    call_command(name, verbosity=0)

    assert name not in overdue(client)


def test_a_run_that_fails_does_not_count(client, db):
    last_ran("prune_comments", timedelta(days=3))
    failing = mock.patch(
        "comments.management.commands.prune_comments.prune_old_data",
        side_effect=RuntimeError("disk full"),
    )

    with failing, pytest.raises(RuntimeError):
        call_command("prune_comments", verbosity=0)

    assert "prune_comments" in overdue(client)


def test_clearsessions_is_late_while_a_session_expired_over_two_days_ago_is_kept(
    client, cron_on_time
):
    expired_session(timedelta(days=1))
    assert overdue(client) == []

    expired_session(timedelta(days=3))
    assert overdue(client) == ["clearsessions"]

    call_command("clearsessions")
    assert overdue(client) == []


@pytest.mark.parametrize("status", ["SUCCESSFUL", "FAILED"])
@pytest.mark.parametrize(
    ("queue", "name", "pruned_at_days", "late_at_days"),
    [("mail", MAIL_PRUNING, 30, 32), ("purge", PURGE_PRUNING, 1, 3)],
)
def test_task_pruning_is_late_while_old_finished_tasks_are_kept(
    client, cron_on_time, status, queue, name, pruned_at_days, late_at_days
):
    finished_task(queue, timedelta(days=late_at_days, hours=-1), status)
    assert overdue(client) == []

    finished_task(queue, timedelta(days=late_at_days, hours=1), status)
    assert overdue(client) == [name]

    # README's cron line for it.
    call_command(
        "prune_db_task_results",
        queue_name=queue,
        min_age_days=pruned_at_days,
        verbosity=0,
    )
    assert overdue(client) == []


def make_every_job_late() -> None:
    for name in OURS:
        last_ran(name, timedelta(days=3))
    expired_session(timedelta(days=40))
    finished_task("mail", timedelta(days=40))
    finished_task("purge", timedelta(days=40))


def test_healthz_reads_the_same_few_queries_whatever_is_late(
    client, cron_on_time, django_assert_num_queries
):
    # The database (does it take writes?), four for the worker, and four for cron: every
    # job's last run at once, and one indexed look for what each of the three stock commands
    # would delete.
    with django_assert_num_queries(9):
        assert overdue(client) == []

    make_every_job_late()
    with django_assert_num_queries(9):
        assert len(overdue(client)) == 7


def _readme_cron_lines() -> set[str]:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    block = readme.split("```cron\n", 1)[1].split("```", 1)[0]
    return {" ".join(line.split("#", 1)[0].split()) for line in block.splitlines()}


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def _warnings(page: str) -> list[tuple[str, str]]:
    """Each late job's warning, and the last thing it quotes (the line to add)."""
    found = re.search(r'<ul class="messagelist" id="overdue-jobs">(.*?)</ul>', page, re.S)
    items = re.findall(r"<li[^>]*>(.*?)</li>", found.group(1), re.S) if found else []
    return [(_text(item), _text(re.findall(r"<code>(.*?)</code>", item)[-1])) for item in items]


def test_a_superuser_is_told_on_the_admin_which_job_is_late_and_the_line_to_add(
    superuser_client, cron_on_time, settings
):
    assert _warnings(superuser_client.get("/admin/").content.decode()) == []

    make_every_job_late()
    warnings = _warnings(superuser_client.get("/admin/").content.decode())

    said = [text for text, _ in warnings]
    assert len(said) == 7
    for name in OURS:
        assert any(f"Scheduled job {name}: no run since" in text for text in said)
    assert "(3 days ago)" in said[0]
    assert any("clearsessions is not running: expired sessions older than 2" in t for t in said)
    assert any(f"{MAIL_PRUNING} is not running: finished mail tasks" in t for t in said)
    assert any(f"{PURGE_PRUNING} is not running: finished cache purge" in t for t in said)
    readme = _readme_cron_lines()
    assert [line for _, line in warnings if line not in readme] == []
    assert "README.md" in said[0] and "Scheduled jobs" in said[0]

    settings.DEBUG = True  # a laptop (`make run`): no cron to warn about
    assert _warnings(superuser_client.get("/admin/").content.decode()) == []


@pytest.mark.parametrize("persona", ["moderator_client", "editor_client", "stranger_client"])
def test_staff_who_are_not_superusers_are_not_told(request, cron_on_time, persona):
    # Nothing they do changes; the superusers are told.
    make_every_job_late()

    page = request.getfixturevalue(persona).get("/admin/")

    assert page.status_code == 200
    assert _warnings(page.content.decode()) == []
    assert "overdue-jobs" not in page.content.decode()


class TestTheUpgradeItself:
    """They commit for real: a class of their own (tests/conftest.py says why)."""

    @pytest.mark.django_db(transaction=True)
    def test_right_after_the_upgrade_no_job_is_late_and_the_count_starts_then(
        self, client, django_db_serialized_rollback
    ):
        call_command("migrate", "newsportal", "zero", verbosity=0)
        call_command("migrate", "newsportal", verbosity=0)

        assert overdue(client) == []
        later = timezone.now() + timedelta(minutes=31)
        with mock.patch("django.utils.timezone.now", return_value=later):
            assert overdue(client) == ["remind_moderators"]  # its cron line was never added
        later = timezone.now() + timedelta(hours=7)
        with mock.patch("django.utils.timezone.now", return_value=later):
            assert "prune_kept_pictures" in overdue(client)  # counted from the upgrade too


def test_a_late_jobs_last_run_is_written_as_the_other_admin_times_are(
    superuser_client, cron_on_time, settings
):
    # Not Django's "Oct. 31, 2026, 11:30 p.m.", among the desk's "31 Oct 2026, 23:30", and
    # with its zone: cron runs on the server's clock, which need not be in TIME_ZONE.
    from datetime import UTC, datetime

    settings.TIME_ZONE = "America/New_York"
    name = sorted(OURS)[0]
    JobRun.objects.filter(name=name).update(finished_at=datetime(2026, 11, 1, 3, 30, tzinfo=UTC))

    said = [text for text, _ in _warnings(superuser_client.get("/admin/").content.decode())]

    assert any(f"{name}: no run since 31 Oct 2026, 23:30 EDT (" in text for text in said)
