from django.core.management.base import BaseCommand

from comments.notifications import remind_moderators


class Command(BaseCommand):
    help = (
        "Mail the moderators about comments that arrived while mail was held back by "
        "COMMENTS_MODERATOR_MAIL_INTERVAL. Run it every few minutes (cron, a systemd timer)."
    )

    def handle(self, *args, **options):
        if remind_moderators():
            self.stdout.write("Moderators were told that comments are waiting.")
        else:
            self.stdout.write("Nothing new to tell the moderators.")
