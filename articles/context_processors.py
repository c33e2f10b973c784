from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from articles.models import BreakingNews, Section
from newsportal.caching import SITE, also_keyed, breaking_key, cached, changes_at
from newsportal.context_processors import site_urls


def navigation_sections() -> list[dict]:
    """The section menu. Pages whose shared parts depend on the site anyway carry it in their
    own fragment (one cache round trip less); every other page asks for it here."""
    return [
        {"name": section.name, "slug": section.slug, "url": section.get_absolute_url()}
        for section in Section.objects.for_navigation()
    ]


def breaking_news() -> tuple[dict | None, datetime | None]:
    """The breaking-news strip readers see now, if one is up (BreakingNews.shown), and when
    that changes with no write to purge it: its end, or the start of the next one scheduled
    (read in the same query: a page drawn afresh pays nothing for the schedule)."""
    now = timezone.now()
    rows = (
        BreakingNews.objects.shown_or_next()
        .select_related("article")
        .only("label", "text", "ends_at", "started_at", "article__slug")
    )
    banner = next_start = None
    for row in rows:
        if row.started_at > now:
            next_start = row.started_at
        else:
            banner = row
    changes = [when for when in (banner and banner.ends_at, next_start) if when]
    changes_at = min(changes, default=None)
    if banner is None:
        return None, changes_at
    return {
        "pk": banner.pk,
        "kind": banner.label,
        "label": banner.get_label_display(),
        "text": banner.text,
        "url": banner.article.get_absolute_url() if banner.article else "",
        "article_id": banner.article_id,
    }, changes_at


def drawn_menus(
    *, current_path: str = "", current_section: str = "", current_article: int | None = None
) -> dict:
    """Both section menus (header and footer) and the breaking-news strip drawn, for a page that
    keeps them in its own fragment: their loops cost more than the rest of base.html, drawn for
    every reader. current_path marks the page itself in the header, current_section an
    article's section; the strip is left off the page of the story it leads to. The page must
    carry what the strip needs of it (mark_menus)."""
    banner, changes_at = breaking_news()
    if banner and current_article and banner["article_id"] == current_article:
        banner = None  # its readers are there already (a strip scheduled may replace it)
    context = {
        "nav_sections": navigation_sections(),
        "site_urls": site_urls(),
        "current_path": current_path,
        "current_section": current_section,
        "banner": banner,
    }
    return {
        "section_menu": render_to_string("includes/section_menu.html", context),
        "breaking_news_bar": render_to_string("includes/breaking_news.html", context),
        "footer_sections": render_to_string("includes/footer_sections.html", context),
        **_strip_marks(banner, changes_at),
    }


def _strip_marks(banner: dict | None, changes_at) -> dict:
    # Its own key: mended or ended, the pages showing it are purged for good, so no outage
    # serves a strip the newsroom took down.
    keys = [breaking_key(banner["pk"])] if banner else []
    return {"menu_keys": keys, "menu_changes_at": changes_at}


def strip_outlived(parts: dict) -> bool:
    """Kept parts drawn before the strip's end, or before a scheduled one's start, now past:
    the worker purges them then, but a page drawn from them before it does (or with no
    worker) must not show the old strip, nor be kept."""
    ends_at = parts.get("menu_changes_at")
    return ends_at is not None and ends_at <= timezone.now()


def mark_menus(request, parts: dict) -> None:
    """What a page drawn with drawn_menus() must say of the strip on it: its story's key, and
    when it changes by itself, its end or a scheduled strip's start (shared caches keep the page
    no longer; a CDN that cannot be purged included)."""
    also_keyed(request, *parts.get("menu_keys", ()))
    if parts.get("menu_changes_at"):
        changes_at(request, parts["menu_changes_at"])


def navigation(request):
    # Lazy: only templates that draw the menu or the strip look them up (the outage page must
    # not query). Renaming or adding a section, or a strip put up or ended, purges the site.
    def make():
        breaking, changes_at = breaking_news()
        return {
            "sections": navigation_sections(),
            "breaking": breaking,
            **_strip_marks(breaking, changes_at),
        }

    def site_parts():
        parts = cached("navigation|breaking|marks", [SITE], make)
        if strip_outlived(parts):
            parts = make()
        mark_menus(request, parts)
        return parts

    parts = SimpleLazyObject(site_parts)
    return {
        "nav_sections": SimpleLazyObject(lambda: parts["sections"]),
        "breaking_news": SimpleLazyObject(lambda: parts["breaking"]),
    }
