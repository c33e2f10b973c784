from django.db import transaction

from articles.images import RENDITION_WIDTHS, make_renditions
from articles.models import Article
from articles.purges import purge_articles


def on_every_picture(command, service) -> tuple[int, int]:
    """service(article_id=...) on every article with a picture: (how many it changed, how many
    failed). A file missing or unreadable fails its article only: the others still go."""
    ids = Article.objects.exclude(hero_image="").order_by("pk").values_list("pk", flat=True)
    done = failed = 0
    for pk in ids:
        try:
            done += service(article_id=pk)
        except OSError as exc:
            failed += 1
            command.stderr.write(f"article {pk}: {exc}")
    return done, failed


def add_wider_renditions(*, article_id: int) -> bool:
    """A picture saved when renditions stopped at a narrower width (1200 px) gets the wider ones
    a save makes now, in every format it has; the renditions it has stay under their names, so
    nothing a reader or a cache holds goes stale. False when there is nothing to add (a picture
    no wider than its widest rendition). The row is locked meanwhile: an editor replacing the
    picture at the same moment waits, and then their picture's files replace these.

    A service (services.py's add_modern_renditions is its twin); kept here, by its command,
    until services.py (at its size limit) is split."""
    with transaction.atomic():
        article = (
            Article.objects.select_for_update()
            .only("hero_image", "hero_renditions", "hero_modern_renditions")
            .filter(pk=article_id)
            .first()
        )
        if article is None or not article.hero_image or not article.hero_renditions:
            return False
        widest = max(map(int, article.hero_renditions))
        # Narrower than a standard width, it was the picture's own width: nothing wider to make.
        if widest >= RENDITION_WIDTHS[-1] or widest not in RENDITION_WIDTHS:
            return False
        formats = ("image/jpeg", *article.hero_modern_renditions)
        wider = make_renditions(article.hero_image, formats, wider_than=widest)
        if not wider["image/jpeg"]:
            return False
        jpegs = {**article.hero_renditions, **wider.pop("image/jpeg")}
        modern = {
            mime_type: {**article.hero_modern_renditions[mime_type], **widths}
            for mime_type, widths in wider.items()
        }
        Article.objects.filter(pk=article.pk).update(
            hero_renditions=jpegs, hero_modern_renditions=modern
        )
        purge_articles(article_ids=[article.pk])
    return True
