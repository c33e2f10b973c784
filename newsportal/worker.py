"""Whether the worker (`manage.py db_worker`, started by `make serve`) keeps up. Mail and
purge retries wait for it in the database; stopped, it fails nothing a reader sees at once
(mail just never goes, pages wait out their cache time), so the admin and /healthz say so."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Case, Count, Min, When
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

# The worker polls every second and a mail takes a few: a task due this long has been missed.
WORKER_LATE_SECONDS = 120


def worker_backlog() -> dict | None:
    """The tasks due more than WORKER_LATE_SECONDS ago and not run: how many, and due since
    when. None while the worker keeps up, or with no queue (MAIL_QUEUE=immediate)."""
    if settings.MAIL_QUEUE != "database":
        return None
    due_at = Case(When(run_after=get_date_max(), then="enqueued_at"), default="run_after")
    late = timezone.now() - timedelta(seconds=WORKER_LATE_SECONDS)
    overdue = (
        DBTaskResult.objects.ready()
        .annotate(due_at=due_at)
        .filter(due_at__lte=late)
        .aggregate(count=Count("pk"), since=Min("due_at"))
    )
    return overdue if overdue["count"] else None


def mail_failed_last_hour() -> int:
    """Mail that ended failed in the last hour: refused for good (a 550, an address no mail can
    carry) or given up after MAIL_MAX_ATTEMPTS. Readers never see it, so /healthz says it."""
    since = timezone.now() - timedelta(hours=1)
    return DBTaskResult.objects.failed().filter(queue_name="mail", finished_at__gte=since).count()


def mail_retrying_last_hour() -> int:
    """Tries in the last hour that found the mail server away, busy or refusing our login, each
    to be tried again. Nothing fails for about a day (MAIL_MAX_ATTEMPTS), so this is what says
    within minutes that the server wants a look."""
    since = timezone.now() - timedelta(hours=1)
    tries = DBTaskResult.objects.successful().filter(queue_name="mail", finished_at__gte=since)
    return tries.filter(return_value="retrying").count()


# `requeue_mail`, run every ten minutes by cron, puts back mail left running 15 minutes: mail
# running for an hour says that cron line is missing (the mail would never go).
STUCK_MINUTES = 60


def mail_stuck() -> int:
    """Mail a worker started over STUCK_MINUTES ago and never finished (it was killed)."""
    since = timezone.now() - timedelta(minutes=STUCK_MINUTES)
    return DBTaskResult.objects.running().filter(queue_name="mail", started_at__lt=since).count()
