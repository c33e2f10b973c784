from django.core.management.base import BaseCommand

from comments.mail import requeue_stale


class Command(BaseCommand):
    help = (
        "Put back in the queue the mail a worker started and never finished (it was killed "
        "mid-send), so the next worker sends it. Run it every few minutes (cron, a systemd "
        "timer) beside the worker."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes",
            type=int,
            default=15,
            help="Started at least this long ago (default 15: a send gives up after "
            "EMAIL_TIMEOUT, so a live worker is never that slow).",
        )

    def handle(self, *args, minutes, **options):
        count = requeue_stale(minutes=minutes)
        self.stdout.write(f"Put {count} unfinished mail(s) back in the queue.")
