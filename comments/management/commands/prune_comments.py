from django.conf import settings
from django.core.management.base import BaseCommand

from comments.privacy import prune_old_data
from newsportal.jobs import record_run


class Command(BaseCommand):
    help = (
        "Delete rejected and spam comments COMMENTS_KEEP_REJECTED_DAYS after the decision (empty "
        "those published or waiting replies hang on, which stay as placeholders); clear "
        "IP addresses COMMENTS_KEEP_IP_DAYS after a comment arrived, and delete IP blocks that "
        "ended, notes on IP addresses and staff sign-in records as old; delete e-mail blocks "
        "COMMENTS_KEEP_REJECTED_DAYS after they ended; forget addresses left with no comment. "
        "Run it daily (cron, a systemd timer)."
    )

    def handle(self, *args, verbosity, **options):
        pruned = prune_old_data()
        record_run("prune_comments")
        if verbosity:
            self.stdout.write(
                f"Deleted {pruned.deleted} rejected or spam comment(s) older than "
                f"{settings.COMMENTS_KEEP_REJECTED_DAYS} days; cleared the IP address of "
                f"{pruned.ips_cleared} comment(s) and {pruned.notes_cleared} moderator note(s) "
                f"older than {settings.COMMENTS_KEEP_IP_DAYS} days, and deleted "
                f"{pruned.blocks_deleted} IP block(s) ended and {pruned.sign_ins_deleted} staff "
                f"sign-in record(s) as old; deleted {pruned.email_blocks_deleted} e-mail "
                f"block(s) ended over {settings.COMMENTS_KEEP_REJECTED_DAYS} days ago; forgot "
                f"{pruned.addresses_forgotten} e-mail address(es) left with no comment."
            )
