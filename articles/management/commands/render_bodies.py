"""Draw every article's body again as saving it would now: a body keeps the HTML it was
rendered to when it was saved, so a change to the renderer (the pictures' width and height)
reaches older stories only through this. Running it again does no harm (a body drawn as it
would be now is left alone); what readers read stays the same, so no story is "Updated"."""

from django.core.management.base import BaseCommand

from articles.models import Article
from articles.services import render_body_again
from newsportal.caching import unpurged_front_caches_note


class Command(BaseCommand):
    help = (
        "Render every article's Markdown body to HTML again, as a save would now; only the "
        "bodies that come out different are stored, and their pages purged."
    )

    def handle(self, *args, **options):
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
        done = sum(render_body_again(article_id=pk) for pk in ids)
        self.stdout.write(f"{done} of {len(ids)} article bodies rendered again.")
        if done and (note := unpurged_front_caches_note()):
            self.stdout.write(note)  # until they expire, those pages show the old bodies there
