"""Make the AVIF and WebP renditions of hero pictures saved before they were made: until then
those stories offer their JPEGs only. Run it once after deploying that change; running it again
does no harm (a picture that has them is left alone)."""

from django.core.management.base import BaseCommand

from articles.management.pictures import exit_status, on_every_picture
from articles.picture_services import add_modern_renditions


class Command(BaseCommand):
    help = (
        "Make the AVIF and WebP renditions of every hero picture saved without them; the JPEG "
        "renditions stay as they are."
    )

    def handle(self, *args, **options):
        did = "given AVIF and WebP renditions"
        _, failed = on_every_picture(self, add_modern_renditions, did)
        exit_status(failed)
