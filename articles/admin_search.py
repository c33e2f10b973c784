"""The article list's search, as the newsroom looks for a story: words from it (the admin's own
search of the headline, lead, byline, tags and slug, and the site's search of the whole story),
its slug, or its address pasted from a browser, a mail or a chat."""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q

from articles.search import clean_query, search_articles

# A story's pages are all under /articles/<slug>/ (its live updates, their pages too).
_STORY_PATH = re.compile(r"/articles/(?P<slug>[-a-zA-Z0-9_]+)(?:/|$)")
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def address_slug(term: str) -> str:
    """The slug a pasted address of a story names ("" when the term is no such address): the
    site's (SITE_URL) or any other host's, a staging copy's or a developer's, with its query
    (?utm_source=) or #fragment, or its path alone, with its leading slash or without."""
    if " " in term:
        return ""
    if "://" not in term and not term.startswith("/"):
        host = urlsplit(settings.SITE_URL).netloc
        if term.startswith(f"{host}/"):
            term = f"//{term}"
        elif term.startswith("articles/"):
            # The path without its leading slash, as typed or copied from a log: no words to
            # look for begin so ("articles" alone, "articles about", stay words).
            term = f"/{term}"
        else:
            return ""  # "cities/zoning" is words to look for, not an address
    try:
        path = urlsplit(term).path
    except ValueError:  # "http://[" : no address at all
        return ""
    found = _STORY_PATH.match(path)
    return found["slug"] if found else ""


class ArticleSearch:
    """ModelAdmin's search for the article list."""

    # Bylines and tags too; the body through the search index (get_search_results).
    search_fields = ["title", "standfirst", "authors__name", "tags__name", "slug"]
    search_help_text = (
        "Words from the headline, lead, body, byline or tags, or a story's slug or address."
    )

    def get_search_results(self, request, queryset, search_term):
        """A pasted address finds the story it leads to (by an old address too, as readers are
        led on: articles.views), and that alone. Otherwise the admin's own search (a headline's
        or lead's part of a word: "Xiao"), or the site's search of the whole story, the body
        too: on PostgreSQL through its GIN index, as readers' search (LIKE on every body would
        read every body, on every search); a whole old slug finds its story too.
        Each story once, whatever matched it twice (two tags, two bylines): a subquery of
        keys, which also keeps the list's own query the same for any term."""
        term = search_term.strip()
        slug = address_slug(term)
        if slug:
            return queryset.filter(pk__in=_named(queryset, slug)), False
        found, may_have_duplicates = super().get_search_results(request, queryset, term)
        query = clean_query(term)
        if not query:
            return found, may_have_duplicates
        in_story = search_articles(queryset.model.objects.all(), query).values("pk")
        matched = Q(pk__in=found.values("pk")) | Q(pk__in=in_story)
        if _SLUG.fullmatch(term):
            matched |= Q(pk__in=_named(queryset, term))
        return queryset.filter(matched), False


def _named(queryset, slug: str):
    """The stories whose address is this slug, or was."""
    model = queryset.model
    return model.objects.filter(Q(slug=slug) | Q(old_slugs__slug=slug)).values("pk")
