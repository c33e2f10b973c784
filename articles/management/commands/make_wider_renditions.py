"""Make the 1600 px renditions (articles.images.RENDITION_WIDTHS) of hero pictures saved when
the widest was 1200 px: until then those stories look soft on a large 2x screen. Run it once
after deploying that change; running it again does no harm (a picture that has them, or is no
wider, is left alone)."""

from django.core.management.base import BaseCommand

from articles.management.pictures import exit_status, on_every_picture
from articles.picture_services import add_wider_renditions


class Command(BaseCommand):
    help = (
        "Make the wider renditions (up to 1600 px, in each format the picture has) of every hero "
        "picture saved when the widest was 1200 px; the renditions it has stay as they are."
    )

    def handle(self, *args, **options):
        _, failed = on_every_picture(self, add_wider_renditions, "given wider renditions")
        exit_status(failed)
