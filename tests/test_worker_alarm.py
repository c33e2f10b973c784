"""When the worker has stopped, mail and purge retries wait in the database and nothing a
reader sees fails at once: the admin's front page and /healthz say so."""

from datetime import timedelta

import pytest
from django.db.models import F
from django_tasks_db.models import DBTaskResult

from tests.mail_helpers import run_mail_queue

WARNING = "Mail and cache purges are not going out"


@pytest.fixture
def work_queued(purges, article, make_comment, moderator, django_capture_on_commit_callbacks):
    """An approval: its purge is sent, and queued to be sent again a little later."""
    from comments.services import approve

    with django_capture_on_commit_callbacks(execute=True):
        approve(comment=make_comment(article), by=moderator)
    assert DBTaskResult.objects.filter(status="READY").exists()


def _minutes_pass(minutes: int) -> None:
    back = timedelta(minutes=minutes)
    DBTaskResult.objects.update(
        enqueued_at=F("enqueued_at") - back, run_after=F("run_after") - back
    )


def test_the_admin_warns_when_queued_work_is_overdue_and_not_while_the_worker_keeps_up(
    work_queued, superuser_client
):
    assert WARNING not in superuser_client.get("/admin/").content.decode()  # not due yet

    _minutes_pass(10)
    page = superuser_client.get("/admin/").content.decode()
    assert WARNING in page and "db_worker" in page
    assert "due for <time" in page and "minutes</time>" in page

    run_mail_queue("purge")
    assert WARNING not in superuser_client.get("/admin/").content.decode()


def test_healthz_says_the_worker_is_behind_and_still_answers_200(work_queued, client, cron_on_time):
    assert client.get("/healthz").json()["worker"] == "keeping up"

    _minutes_pass(10)
    response = client.get("/healthz")
    assert response.status_code == 200  # the proxy keeps the site in
    assert response.json()["worker"] == "behind"
    assert response.json()["tasks_overdue"] >= 1

    run_mail_queue("purge")
    assert client.get("/healthz").json() == {
        "status": "ok",
        "database": "up",
        "cache": "up",
        "worker": "keeping up",
        "tasks_overdue": 0,
        "mail_failed_last_hour": 0,
        "mail_retrying_last_hour": 0,
        "mail_stuck": 0,
        "jobs_overdue": [],
    }
