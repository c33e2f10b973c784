"""Store every hero picture again without the metadata its camera wrote (GPS position, the
photographer's name, the camera's serial): for pictures uploaded before uploads were stripped
(articles.images.without_metadata). Run it once after deploying that change. Each run gives every
picture new names (the old files are deleted and purged): pages shared before with the old ones
(share cards) lose their picture, so after a failure only the failed ones go again
(--article)."""

from django.core.management.base import BaseCommand

from articles.management.pictures import exit_status, on_every_picture
from articles.picture_services import strip_stored_hero
from newsportal.caching import SERVE_PURGE_URL, unpurged_front_caches_note
from newsportal.views import MEDIA_CACHE_SECONDS


class Command(BaseCommand):
    help = (
        "Store every hero picture again without its metadata (EXIF, XMP, IPTC, comments), "
        "under new names, with new renditions and crops; the old files are deleted and purged."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--article",
            type=int,
            action="append",
            dest="articles",
            help="Only this article's picture (repeat for more): those a run said failed.",
        )

    def handle(self, *args, **options):
        did = "stored again without metadata"
        done, failed = on_every_picture(self, strip_stored_hero, did, only=options["articles"])
        if done and (note := unpurged_front_caches_note()):
            # The old files left storage, not a front cache that kept them; and a second run
            # purges the names the first one gave, never these.
            days = MEDIA_CACHE_SECONDS // 86400
            self.stdout.write(
                f"{note} The old pictures, metadata and all, stay at their old addresses there "
                f"for up to {days} days: restart the stack (make serve again, or systemctl "
                f"restart its unit under systemd: its Varnish starts empty), and set "
                f"FRONT_CACHE_PURGE_URLS={SERVE_PURGE_URL} for the commands you run by hand."
            )
        only = " ".join(f"--article {pk}" for pk in failed)
        exit_status(
            failed,
            f"run manage.py strip_hero_metadata {only} for those alone (run without --article, it "
            "stores every picture again under new names, and pages shared with the old ones lose "
            "their picture)",
        )
