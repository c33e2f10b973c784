"""manage.py purge_pages: drop every page Django's fragments and the front caches keep. A deploy
whose templates or data migrations change what pages show runs it after migrating (make serve
does): the pages drawn by the old release would otherwise stay for their cache lifetimes."""

from django.core.management.base import BaseCommand

from newsportal.caching import SITE, purge


class Command(BaseCommand):
    help = "Drop every cached page: Django's fragments and the front caches' copies."

    def handle(self, *args, **options):
        purge(SITE)  # every shared page and fragment carries it
        self.stdout.write("Every cached page will be drawn again.")
