from django.core.management.base import BaseCommand

from comments.mail import requeue_failed, requeue_stale
from newsportal.jobs import record_run


class Command(BaseCommand):
    help = (
        "Put back in the queue the mail a worker started and never finished (it was killed "
        "mid-send), so the next worker sends it. Run it every few minutes (cron, a systemd "
        "timer) beside the worker. With --failed, also the mail refused or given up in the "
        "last --days days, once the mail server or its settings are fixed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes",
            type=int,
            default=15,
            help="Started at least this long ago (default 15: a send gives up after "
            "EMAIL_TIMEOUT, so a live worker is never that slow).",
        )
        parser.add_argument(
            "--failed", action="store_true", help="Also send the failed mail once more."
        )
        parser.add_argument("--days", type=int, default=7, help="Failed this recently (7).")

    def handle(self, *args, minutes, failed, days, verbosity, **options):
        count = requeue_stale(minutes=minutes)
        if failed:
            count += requeue_failed(days=days)
        record_run("requeue_mail")
        if verbosity:
            self.stdout.write(f"Put {count} unfinished mail(s) back in the queue.")
