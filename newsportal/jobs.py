"""Whether cron runs the jobs README's "Scheduled jobs" lists. A missing or broken cron line fails
nothing anyone sees: IP addresses outlive the few weeks the privacy page promises, mail a killed
worker left is never sent, tables grow. So /healthz and the admin's front page name the late ones.

Our commands record each run they finish (`record_run`); Django's `clearsessions` and
django-tasks' `prune_db_task_results` cannot, so they are judged by what a run would have
deleted, through an index (django_session's on expire_date, comments migration 0015's on the
task table)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsportal.models import JobRun


def _expired_sessions(cutoff: datetime) -> QuerySet:
    return Session.objects.filter(expire_date__lt=cutoff)


@dataclass(frozen=True)
class Job:
    name: str
    cron: str  # README's line, shown to whoever has to add it
    # A few of cron's turns: one missed (a reboot at 3 am) is no news. For the judged-by-effect
    # jobs, how old what they delete may get: the age they prune at, plus two days.
    allowance: timedelta
    # For the commands that record nothing: what piles up, and the rows a run would delete.
    piling_up: str = ""
    left_before: Callable[[datetime], QuerySet] | None = None


def _task_pruning(queue: str, piling_up: str, *, minute: int, min_age_days: int) -> Job:
    """README's daily prune_db_task_results line for one queue: late once what it deletes is
    two days older than the age it deletes at."""

    def finished_before(cutoff: datetime) -> QuerySet:
        if settings.MAIL_QUEUE != "database":  # no task rows, and the command refuses to run
            return DBTaskResult.objects.none()
        return DBTaskResult.objects.finished().filter(queue_name=queue, finished_at__lt=cutoff)

    command = f"prune_db_task_results --queue-name {queue}"
    return Job(
        command,
        f'{minute} 3 * * *   eval "$RUN {command} --min-age-days {min_age_days} -v0"',
        timedelta(days=min_age_days + 2),
        piling_up=piling_up,
        left_before=finished_before,
    )


JOBS = (
    Job(
        "remind_moderators",
        '*/5 * * * *  eval "$RUN remind_moderators -v0"',
        timedelta(minutes=30),
    ),
    Job("requeue_mail", '*/10 * * * * eval "$RUN requeue_mail -v0"', timedelta(hours=1)),
    Job("prune_comments", '17 3 * * *   eval "$RUN prune_comments -v0"', timedelta(days=2)),
    Job(
        "prune_kept_pictures",
        '41 * * * *   eval "$RUN prune_kept_pictures -v0"',
        timedelta(hours=6),
    ),
    _task_pruning("mail", "finished mail tasks", minute=27, min_age_days=30),
    _task_pruning("purge", "finished cache purge tasks", minute=29, min_age_days=1),
    Job(
        "clearsessions",
        '37 3 * * *   eval "$RUN clearsessions -v0"',
        timedelta(days=2),
        piling_up="expired sessions",
        left_before=_expired_sessions,
    ),
)
RECORDED = [job.name for job in JOBS if job.left_before is None]


def record_run(name: str) -> None:
    """At the end of a run that went through: one that raised has not done its work."""
    JobRun.objects.update_or_create(name=name, defaults={"finished_at": timezone.now()})


@dataclass(frozen=True)
class Overdue:
    job: Job
    last_run: datetime | None  # None for a job judged by what piles up


def overdue_jobs() -> list[Overdue]:
    """The jobs late past their allowance, in README's order. One query per job judged by
    effect, one for all the others; a job with no recorded run is not known to be late."""
    now = timezone.now()
    runs = dict(JobRun.objects.filter(name__in=RECORDED).values_list("name", "finished_at"))
    overdue = []
    for job in JOBS:
        if job.left_before is not None:
            if job.left_before(now - job.allowance).exists():
                overdue.append(Overdue(job, None))
        elif job.name in runs and runs[job.name] < now - job.allowance:
            overdue.append(Overdue(job, runs[job.name]))
    return overdue
