"""Store every hero picture again without the metadata its camera wrote (GPS position, the
photographer's name, the camera's serial): for pictures uploaded before uploads were stripped
(articles.images.without_metadata). Run it once after deploying that change; running it again
does no harm (each picture gets new names once more, and the front caches are purged)."""

from django.core.management.base import BaseCommand

from articles.models import Article
from articles.services import strip_stored_hero


class Command(BaseCommand):
    help = (
        "Store every hero picture again without its metadata (EXIF, XMP, IPTC, comments), "
        "under new names, with new renditions and crops; the old files are deleted and purged."
    )

    def handle(self, *args, **options):
        ids = Article.objects.exclude(hero_image="").order_by("pk").values_list("pk", flat=True)
        done = failed = 0
        for pk in ids:
            try:
                done += strip_stored_hero(article_id=pk)
            except OSError as exc:  # a file missing or unreadable: the others still go
                failed += 1
                self.stderr.write(f"article {pk}: {exc}")
        self.stdout.write(f"{done} picture(s) stored again without metadata; {failed} failed.")
