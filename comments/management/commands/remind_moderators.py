from django.core.management.base import BaseCommand

from comments.moderator_mail import remind_moderators
from newsportal.jobs import record_run


class Command(BaseCommand):
    help = (
        "Mail the moderators about comments that arrived while mail was held back by "
        "COMMENTS_MODERATOR_MAIL_INTERVAL. Run it every few minutes (cron, a systemd timer)."
    )

    def handle(self, *args, verbosity, **options):
        told = remind_moderators()
        record_run("remind_moderators")
        if verbosity:  # -v0 from cron: no output, so no cron mail every few minutes
            self.stdout.write(
                "Moderators were told that comments are waiting."
                if told
                else "Nothing new to tell the moderators."
            )
