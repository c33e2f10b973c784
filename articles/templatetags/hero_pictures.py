from django import template
from django.core.files.storage import default_storage

from articles.images import fallback_rendition

register = template.Library()


@register.filter
def fallback_src(article) -> str:
    """The address of the hero's <img> src: what a browser without srcset fetches (the others
    choose from the srcset)."""
    name = fallback_rendition(article.hero_renditions)
    return default_storage.url(name) if name else ""
