from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject

from articles.models import Section
from newsportal.caching import SITE, cached
from newsportal.context_processors import site_urls


def navigation_sections() -> list[dict]:
    """The section menu. Pages whose shared parts depend on the site anyway carry it in their
    own fragment (one cache round trip less); every other page asks for it here."""
    return [
        {"name": section.name, "slug": section.slug, "url": section.get_absolute_url()}
        for section in Section.objects.for_navigation()
    ]


def drawn_menus(*, current_path: str = "", current_section: str = "") -> dict:
    """Both section menus (header and footer) drawn, for a page that keeps them in its own
    fragment: their loops cost more than the rest of base.html, drawn for every reader.
    current_path marks the page itself in the header, current_section an article's section."""
    context = {
        "nav_sections": navigation_sections(),
        "site_urls": site_urls(),
        "current_path": current_path,
        "current_section": current_section,
    }
    return {
        "section_menu": render_to_string("includes/section_menu.html", context),
        "footer_sections": render_to_string("includes/footer_sections.html", context),
    }


def navigation(request):
    # Lazy: only templates that draw the menu look it up (the outage page must not query).
    # Renaming or adding a section purges the site, and so the menu.
    return {
        "nav_sections": SimpleLazyObject(lambda: cached("navigation", [SITE], navigation_sections))
    }
