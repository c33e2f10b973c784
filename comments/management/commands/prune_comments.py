from django.conf import settings
from django.core.management.base import BaseCommand

from comments.privacy import prune_old_data


class Command(BaseCommand):
    help = (
        "Delete rejected and spam comments COMMENTS_KEEP_REJECTED_DAYS after the decision and "
        "clear IP addresses COMMENTS_KEEP_IP_DAYS after a comment arrived; forget addresses "
        "left with no comment. Run it daily (cron, a systemd timer)."
    )

    def handle(self, *args, verbosity, **options):
        pruned = prune_old_data()
        if verbosity:
            self.stdout.write(
                f"Deleted {pruned.deleted} rejected or spam comment(s) older than "
                f"{settings.COMMENTS_KEEP_REJECTED_DAYS} days; cleared {pruned.ips_cleared} IP "
                f"address(es) older than {settings.COMMENTS_KEEP_IP_DAYS} days; forgot "
                f"{pruned.addresses_forgotten} e-mail address(es) left with no comment."
            )
