from django.utils.functional import SimpleLazyObject

from articles.models import Section
from newsportal.caching import SITE, cached


def navigation_sections() -> list[dict]:
    """The section menu. Pages whose shared parts depend on the site anyway carry it in their
    own fragment (one cache round trip less); every other page asks for it here."""
    return [
        {"name": section.name, "slug": section.slug, "url": section.get_absolute_url()}
        for section in Section.objects.for_navigation()
    ]


def navigation(request):
    # Lazy: only templates that draw the menu look it up (the outage page must not query).
    # Renaming or adding a section purges the site, and so the menu.
    return {
        "nav_sections": SimpleLazyObject(lambda: cached("navigation", [SITE], navigation_sections))
    }
