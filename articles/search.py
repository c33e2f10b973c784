"""Article search: ranked full-text search on PostgreSQL, a plain substring match on SQLite."""

import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, Q, Value, When
from django.utils.html import escape
from django.utils.safestring import mark_safe

MAX_QUERY_LENGTH = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_WORD = re.compile(r"\w", re.UNICODE)
_SPACE = re.compile(r"\s+")
# Private-use markers survive ts_headline untouched; we escape the text and only then turn them
# into <mark>, so nothing from an article's source can become markup.
_START, _STOP = "\ue000", "\ue001"


def clean_query(raw: str | None) -> str:
    """A search string that is safe to run: trimmed, bounded, free of control characters."""
    text = _CONTROL.sub(" ", raw or "")
    text = " ".join(text.split())[:MAX_QUERY_LENGTH]
    return text if _WORD.search(text) else ""


def search_articles(queryset, query: str):
    if not query:
        return queryset.none()
    if connection.vendor == "postgresql":
        ts_query = SearchQuery(query, search_type="websearch", config="english")
        return (
            queryset.filter(search_vector=ts_query)
            .annotate(
                rank=SearchRank(F("search_vector"), ts_query),
                headline=SearchHeadline(
                    "body",
                    ts_query,
                    config="english",
                    start_sel=_START,
                    stop_sel=_STOP,
                    max_words=40,
                    min_words=20,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .order_by("-rank", "-published_at", "-pk")
        )
    words = query.split()[:8]
    condition = Q()
    for word in words:
        condition &= (
            Q(title__icontains=word) | Q(standfirst__icontains=word) | Q(body__icontains=word)
        )
    in_title = Q()
    for word in words:
        in_title &= Q(title__icontains=word)
    # No ranking here, but a headline that names every word still comes first. The snippet is
    # cut from the body, so load it with the rows (listings defer it).
    return (
        queryset.filter(condition)
        .annotate(in_title=Case(When(in_title, then=Value(1)), default=Value(0)))
        .defer(None)
        .order_by("-in_title", "-published_at", "-pk")
    )


def snippet_html(article, query: str) -> str:
    """An escaped snippet with the matches wrapped in <mark>."""
    headline = getattr(article, "headline", None)
    if headline is None:
        headline = _plain_snippet(article.body, query)
    safe = escape(headline).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(safe)


def _plain_snippet(text: str, query: str, width: int = 220) -> str:
    words = [w for w in query.split() if w]
    lowered = text.lower()
    positions = [lowered.find(w.lower()) for w in words if lowered.find(w.lower()) >= 0]
    first_match = min(positions, default=0)
    start = max(first_match - 60, 0)
    end = min(start + width, len(text))
    # Cut between words, never inside one: a snippet starting "ery life" reads as a typo.
    if start and not text[start - 1].isspace():
        space = _SPACE.search(text, start, first_match)
        start = space.end() if space else first_match
    if end < len(text) and not text[end].isspace():
        end = max((space.start() for space in _SPACE.finditer(text, start, end)), default=end)
    snippet = text[start:end].strip()
    for word in sorted(set(words), key=len, reverse=True):
        snippet = re.sub(
            re.escape(word), lambda m: f"{_START}{m.group(0)}{_STOP}", snippet, flags=re.I
        )
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return prefix + snippet + suffix
