"""Write paths for a story's hero picture: the files a save makes of it (renditions, crops), and
the commands that make what older saves lacked. Out of articles.services, which saves the story
and calls these. Each one that changes what readers see purges it (newsportal.caching)."""

import logging

from django.core.files.storage import default_storage
from django.db import transaction

from articles.images import (
    MODERN_TYPES,
    RENDITION_WIDTHS,
    make_crops,
    make_renditions,
    stored_without_metadata,
)
from articles.models import Article
from articles.purges import purge_articles
from newsportal.caching import media_key, purge

logger = logging.getLogger(__name__)

# What a picture's save makes of it (refresh_hero_renditions), each naming files of its own.
HERO_MADE_FIELDS = ("hero_renditions", "hero_modern_renditions", "hero_crops")


def hero_files(queryset) -> set[str]:
    # select_related(None): the admin's list joins the section, which only() cannot defer.
    rows = queryset.select_related(None).only("hero_image", *HERO_MADE_FIELDS)
    return set().union(*(article.hero_file_names for article in rows))


def drop_hero_files(names: set[str]) -> None:
    """After commit: these picture files (each upload has names of its own) leave storage and
    the front caches, so a picture taken down is not reachable at its old address."""

    def drop():
        for name in names:
            try:
                default_storage.delete(name)
            except OSError as exc:
                logger.warning("could not delete %s: %s", name, exc)
        purge(*(media_key(name) for name in names))

    if names:
        transaction.on_commit(drop)


def refresh_hero_renditions(*, article: Article) -> None:
    """Make the srcset renditions (JPEG, AVIF and WebP) and the shaped crops once, when the hero
    image is set or replaced."""
    make_hero_renditions(article)
    purge_articles(article_ids=[article.pk])


def make_hero_renditions(article: Article) -> None:
    made = _hero_made(article.hero_image)
    for name, value in made.items():
        setattr(article, name, value)
    Article.objects.filter(pk=article.pk).update(**made)


def _hero_made(image) -> dict:
    """HERO_MADE_FIELDS of a picture: its files written, the row left alone."""
    renditions = make_renditions(image)
    return {
        "hero_renditions": renditions.pop("image/jpeg", {}),
        "hero_modern_renditions": renditions,  # the rest: AVIF and WebP
        "hero_crops": make_crops(image),
    }


class PictureChanged(Exception):
    """The story's picture was replaced or removed (an editor's save) while a command made files
    of it: nothing was added, and what it made left storage. Skipped, not failed."""


def _added_unless_changed(article_id: int, fields: tuple, make) -> bool:
    """make(article) -> the fields' new values ({} or None: nothing to add), its files written
    with the row unlocked: encoding a story's picture at three widths takes seconds, and an
    editor's save of the story waited for them. The row is locked only to write them, if its
    picture is still the one they were made of; then the files they no longer name leave
    storage. An editor who replaced it (or removed it) meanwhile keeps theirs, these files
    leave storage, and PictureChanged says so (its file gone from under make, too). False when
    nothing was added."""
    article = Article.objects.only("hero_image", *fields).filter(pk=article_id).first()
    if article is None or not article.hero_image:
        return False
    seen = {"hero_image": article.hero_image.name, **{f: getattr(article, f) for f in fields}}
    rows = Article.objects.filter(pk=article_id)
    try:
        made = make(article)
    except OSError:
        if rows.values(*seen).first() == seen:
            raise  # missing or unreadable, not changed: a failure to chase
        raise PictureChanged from None
    if not made:
        return False
    ours, theirs = Article(**{**seen, **made}).hero_file_names, Article(**seen).hero_file_names
    with transaction.atomic():
        unchanged = rows.select_for_update().values(*seen).first() == seen
        if unchanged:
            rows.update(**made)
            purge_articles(article_ids=[article_id])
        drop_hero_files(theirs - ours if unchanged else ours - theirs)
    if not unchanged:
        raise PictureChanged
    return True


def add_modern_renditions(*, article_id: int) -> bool:
    """A picture saved before AVIF and WebP renditions were made gets them, at its JPEG
    renditions' widths. The JPEGs stay under their names: nothing a reader or a cache holds goes
    stale. False when there is nothing to add, or the picture changed while they were made."""

    def make(article):
        if article.hero_modern_renditions:
            return None
        return {"hero_modern_renditions": make_renditions(article.hero_image, MODERN_TYPES)}

    return _added_unless_changed(article_id, ("hero_modern_renditions",), make)


def add_wider_renditions(*, article_id: int) -> bool:
    """A picture saved when renditions stopped at a narrower width (1200 px) gets the wider ones
    a save makes now, in every format it has; the renditions it has stay under their names, so
    nothing a reader or a cache holds goes stale. False when there is nothing to add (a picture
    no wider than its widest rendition), or the picture changed while they were made."""

    def make(article):
        if not article.hero_renditions:
            return None
        widest = max(map(int, article.hero_renditions))
        # Narrower than a standard width, it was the picture's own width: nothing wider to make.
        if widest >= RENDITION_WIDTHS[-1] or widest not in RENDITION_WIDTHS:
            return None
        formats = ("image/jpeg", *article.hero_modern_renditions)
        wider = make_renditions(article.hero_image, formats, wider_than=widest)
        if not wider["image/jpeg"]:
            return None
        return {
            "hero_renditions": {**article.hero_renditions, **wider.pop("image/jpeg")},
            "hero_modern_renditions": {
                mime_type: {**article.hero_modern_renditions[mime_type], **widths}
                for mime_type, widths in wider.items()
            },
        }

    return _added_unless_changed(article_id, ("hero_renditions", "hero_modern_renditions"), make)


def strip_stored_hero(*, article_id: int) -> bool:
    """An original stored before uploads were stripped of their metadata: stored again without
    it (articles.images.without_metadata), under a new name, with renditions and crops under new
    names (the old ones led to the old original); the old files leave storage and the front
    caches. What readers read is the same picture, so the story's "Updated" time stays. False
    when the article has no picture. Made with the row unlocked, as _added_unless_changed: an
    editor replacing the picture meanwhile saves at once, and theirs is kept."""

    def make(article):
        cleaned = stored_without_metadata(article.hero_image)
        article.hero_image.save(cleaned.name, cleaned, save=False)  # a new random name
        return {"hero_image": article.hero_image.name, **_hero_made(article.hero_image)}

    return _added_unless_changed(article_id, HERO_MADE_FIELDS, make)
