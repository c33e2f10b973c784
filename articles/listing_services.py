"""Write paths for sections, authors and tags: their names are printed on pages, so each
write purges the pages that print them (newsportal.caching), as articles.services does for
stories."""

from django.db import transaction
from django.db.models import ProtectedError

from articles.models import BYLINE_KEPT, Article, Author, Section
from newsportal.caching import SITE, purge


def _printed_on(obj, stored_slug: str = "") -> set[str]:
    """What pages a section, an author or a tag is printed on. A section is in every page's
    menu, and one with stories on theirs and the lists: the site. A tag or an author named on
    no story is on no page but its own, at its address (a new one's, where a cache may keep the
    "not found" a reader had, the one it had before a new slug, and its old ones, which lead on
    to it). Its own addresses are named beside the site even then: the site's key is only
    soft-purged (a copy may still stand in while the origin is down), and an old address ended
    (a former name that must not stand) must go for good."""
    old = obj.old_slugs.values_list("slug", flat=True) if obj.pk is not None else []
    pages = {type(obj).page_key(slug) for slug in (stored_slug, obj.slug, *old) if slug}
    if isinstance(obj, Section) or (obj.pk is not None and obj.articles.exists()):
        return {SITE, *pages}
    return pages


def _keep_old_address(obj, stored_slug: str) -> None:
    """A page's address before its slug changed leads on to it (articles.views.listing): links
    are out there (shared, in search engines, a section's feed in readers' apps). Its address
    now is no longer an old one, whoever it led to: the page there is this one."""
    old_slugs = type(obj).old_slugs.rel.related_model.objects
    old_slugs.filter(slug=obj.slug).delete()
    if stored_slug and stored_slug != obj.slug:
        old_slugs.update_or_create(slug=stored_slug, defaults={"entry": obj})


def _purge_printed(keys: set[str]) -> None:
    if keys:
        purge(*sorted(keys))


def save_listing_entries(*, objs: list) -> None:
    """Sections, authors or tags: their names are printed on list and article pages (sections
    in every page's menu), so a rename shows everywhere at once; a new slug keeps the old
    address leading to the page. One purge for them all (the demo loader saves many), none for
    none."""
    keys = set()
    with transaction.atomic():
        for obj in objs:
            obj.full_clean()
            stored = type(obj).objects.filter(pk=obj.pk).values_list("slug", flat=True)
            stored_slug = (obj.pk and stored.first()) or ""
            keys |= _printed_on(obj, stored_slug)
            obj.save()
            _keep_old_address(obj, stored_slug)
        _purge_printed(keys)


def delete_listing_entries(*, queryset) -> None:
    """A section or an author with stories is kept (ProtectedError, naming the stories): a
    story must have both, and a byline is the record of who wrote it; removed from its stories,
    they would go unsigned and be refused at their next save. A tag goes from its stories."""
    with transaction.atomic():
        if queryset.model is Author:
            bylined = Article.objects.filter(authors__in=queryset).distinct()
            if bylined.exists():
                raise ProtectedError(BYLINE_KEPT, set(bylined))
        keys = set().union(*(_printed_on(obj) for obj in queryset))
        queryset.delete()
        _purge_printed(keys)
