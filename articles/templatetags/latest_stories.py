"""The newest stories, for pages that otherwise lead nowhere (the 404 page): drawn once into a
fragment every reader shares, so a flood of mistyped addresses costs no query a page."""

from django import template
from django.template.loader import render_to_string

from articles.models import Article
from newsportal.caching import LATEST, LISTS, SITE, also_keyed, cached, listed_key

register = template.Library()
LOST_READER_COUNT = 6


def _drawn() -> tuple[str, list[int]]:
    stories = list(
        Article.objects.published()
        .select_related("section")
        .only("title", "slug", "published_at", "section__name")
        .order_by("-published_at", "-pk")[:LOST_READER_COUNT]
    )
    html = render_to_string("includes/latest_stories.html", {"stories": stories})
    return html, [story.pk for story in stories]


@register.simple_tag(takes_context=True)
def latest_stories(context):
    # Dropped (LATEST, LISTS) when a story is published, edited or pulled, as the article
    # rail's list is; the page carries each story's key too, so a takedown purges it for good.
    # SITE: each story's section is printed, and a section renamed purges SITE.
    html, shown = cached("latest-stories", [SITE, LISTS, LATEST], _drawn)
    request = context.get("request")
    if request is not None:
        also_keyed(request, LATEST, *(listed_key(pk) for pk in shown))
    return html
