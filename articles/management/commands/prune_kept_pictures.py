from django.core.management.base import BaseCommand

from articles.kept_pictures import KEPT_FOR, sweep
from newsportal.jobs import record_run


class Command(BaseCommand):
    help = (
        "Delete the pictures kept for article forms that came back with errors and were never "
        "saved, once their time (two days) has passed. Run it hourly (cron, a systemd timer)."
    )

    def handle(self, *args, verbosity, **options):
        swept = sweep()
        record_run("prune_kept_pictures")
        if verbosity:
            self.stdout.write(
                f"Deleted {swept} kept picture(s) older than {KEPT_FOR.days} days whose form "
                "was never saved."
            )
