"""manage.py purge_pages: drop every page Django's fragments and the front caches keep. A deploy
whose templates or data migrations change what pages show runs it after migrating (make serve
does): the pages drawn by the old release would otherwise stay for their cache lifetimes."""

from django.conf import settings
from django.core.management.base import BaseCommand

from newsportal.caching import SERVE_PURGE_URL, SITE, purge, unpurged_front_caches_note


class Command(BaseCommand):
    help = (
        "Drop every cached page: Django's fragments and the copies of the front caches in "
        "FRONT_CACHE_PURGE_URLS."
    )

    def handle(self, *args, verbosity, **options):
        purge(SITE)  # every shared page and fragment carries it
        if not verbosity:
            return
        if note := unpurged_front_caches_note():
            self.stdout.write(
                f"Django's fragments will be drawn again. {note} To purge it, set "
                f"FRONT_CACHE_PURGE_URLS={SERVE_PURGE_URL} (make serve's Varnish) and run this "
                "again."
            )
        else:
            urls = ", ".join(settings.FRONT_CACHE_PURGE_URLS)
            self.stdout.write(f"Every cached page will be drawn again (front caches: {urls}).")
