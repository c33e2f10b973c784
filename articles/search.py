"""Article search: ranked full-text search on PostgreSQL, a plain substring match on SQLite.

Both look in the article as readers read it (Article.body_text: the rendered body_html made
plain text, when it is saved; and its picture's caption and alt text), never in its Markdown
source: an editor's <!-- note -->, a link definition no link uses, a <script> the sanitiser
drops, a link's address, are words no reader is shown, and search must not confirm them one
guess at a time. The snippet under each result is cut from the same text: no "**",
"[text](url)" or "##", and the author's text is escaped exactly once, here."""

import html
import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Left, Replace, Right
from django.utils.html import escape
from django.utils.safestring import mark_safe

MAX_QUERY_LENGTH = 200
# English with accents folded ("são" finds "São" and "Sao"): migration 0010 makes it.
SEARCH_CONFIG = "newsportal_english"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_WORD = re.compile(r"\w", re.UNICODE)
_SPACE = re.compile(r"\s+")
_TERM = re.compile(r'(?:(?<=[\s"])|^)(-?)("[^"]*"?|[^\s"]+)')
# Private-use markers survive ts_headline untouched; we escape the text and only then turn them
# into <mark>, so nothing from an article's source can become markup.
_START, _STOP = "\ue000", "\ue001"
# How much of the text's start and end is read back with a PostgreSQL snippet, and how much of
# its first and last fragment must match them there: whether it was cut (entities decode shorter).
_ENDS, _MATCHED = 300, 100
# body_html to plain text, step by step. They hold for the sanitiser's output, where every
# attribute is name="value" with '"' escaped inside.
_TO_PLAIN_TEXT = (
    # Footnote markers ("claim¹") and their way back ("↩") are not words of the text.
    (r'<sup id="fnref[^"]*"><a [^>]*>[^<]*</a></sup>', ""),
    (r'<a class="footnote-backref"[^>]*>[^<]*</a>', ""),
    # A picture's alt text is the story's words to those who hear the page read out, and to
    # everyone when the picture does not load.
    (r'<img\b(?:"[^"]*"|[^">])*?\salt="([^"]*)"(?:"[^"]*"|[^">])*>', r" \1 "),
    # A block's tags become a space, so two paragraphs' words do not run together; inline tags
    # go ("<em>plant</em>." is "plant.").
    (r'</?(?:p|br|hr|h[1-6]|[uo]l|li|d[ltd]|blockquote|pre|t[rhd]|t(?:able|head|body)|figure|'
     r'figcaption|div)(?:\s(?:"[^"]*"|[^">])*)?>', " "),
    (r'<(?:"[^"]*"|[^">])*>', ""),
)  # fmt: skip


def tidy_query(raw: str | None) -> str:
    """What the reader typed, safe to show back: trimmed, bounded, free of control characters."""
    text = _CONTROL.sub(" ", raw or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def clean_query(raw: str | None) -> str:
    """A search string that is safe to run: the tidied text, when it has a word to look for."""
    text = tidy_query(raw)
    return text if _WORD.search(text) else ""


def _terms(query: str) -> list[tuple[str, bool]]:
    """The words and "quoted phrases" of a query, each with whether it is left out ("-word",
    '-"a phrase"'), as PostgreSQL's web search syntax reads them."""
    terms = []
    for match in _TERM.finditer(query):
        left_out, term = bool(match.group(1)), match.group(2).strip('"').strip()
        if term:
            terms.append((term, left_out))
    return terms


def search_articles(queryset, query: str):
    if not query:
        return queryset.none()
    if connection.vendor == "postgresql":
        # Ranked by the words wanted: a "-word" left in makes ts_rank near zero for every row.
        wanted = " ".join(
            f'"{term}"' if " " in term else term for term, left_out in _terms(query) if not left_out
        )
        return (
            queryset.filter(search_vector=_ts_query(query))
            .annotate(rank=SearchRank(F("search_vector"), _ts_query(wanted or query)))
            .defer("body_html", "body_text")  # the page shows a snippet, cut by add_snippets()
            .order_by("-rank", "-published_at", "-pk")
        )
    condition = in_title = Q()
    for word, left_out in _terms(query)[:8]:
        # The picture's caption and alt text, as the trigger (migration 0020): while it has one.
        pictured = ~Q(hero_image="") & (
            Q(hero_alt__icontains=word) | Q(hero_caption__icontains=word)
        )
        anywhere = (
            Q(title__icontains=word)
            | Q(standfirst__icontains=word)
            | Q(body_text__icontains=word)
            | pictured
        )
        condition &= ~anywhere if left_out else anywhere
        if not left_out:
            in_title &= Q(title__icontains=word)
    # No ranking here, but a headline that names every word still comes first. The snippet is
    # cut from the reader's text, so load it with the rows (whatever a listing defers).
    # Only words left out ("-car"): no headline can name a wanted word.
    first = Case(When(in_title, then=Value(1)), default=Value(0)) if in_title else Value(0)
    return (
        queryset.filter(condition)
        .annotate(in_title=first)
        .defer(None)
        .defer("search_vector", "body", "body_html")
        .order_by("-in_title", "-published_at", "-pk")
    )


def only_common_words(query: str) -> bool:
    """Whether PostgreSQL leaves out every word of the query as too common to search for ("the
    and of": its stop words), so it matches nothing; readers are told why. SQLite's substring
    search looks for every word."""
    if connection.vendor != "postgresql" or not any(c.isalpha() for c in query):
        return False  # marks that are no words ("_ -") are no common words either
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT numnode(websearch_to_tsquery(%s::regconfig, %s))", [SEARCH_CONFIG, query]
        )
        return cursor.fetchone()[0] == 0


def _ts_query(query: str) -> SearchQuery:
    return SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)


def add_snippets(articles, query: str) -> None:
    """Each article's snippet (snippet_html). On PostgreSQL ts_headline cuts them from these
    rows alone, in one query: in the paged query it ran for every row a deep page skipped
    (2,000 headlines for page 200)."""
    articles = list(articles)  # a page: the same rows (and objects) the template then shows
    if articles and connection.vendor == "postgresql":
        text = _as_html_text("body_text")
        headline = SearchHeadline(
            text,
            _ts_query(query),
            config=SEARCH_CONFIG,
            start_sel=_START,
            stop_sel=_STOP,
            max_words=40,
            min_words=20,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
        shown = type(articles[0]).objects.filter(pk__in=[article.pk for article in articles])
        rows = shown.annotate(
            headline=headline, head=Left(text, _ENDS), tail=Right(text, _ENDS)
        ).values_list("pk", "headline", "head", "tail")
        headlines = {pk: _with_cuts(*ends) for pk, *ends in rows}
        for article in articles:
            article.headline = headlines[article.pk]
    for article in articles:
        article.snippet = snippet_html(article, query)


def _with_cuts(headline: str, head: str, tail: str) -> str:
    """ts_headline's snippet with "…" where it begins after the text's start or stops before
    its end, as the SQLite snippet has: ts_headline marks only the cuts between fragments."""
    fragments = _plain(headline.replace(_START, "").replace(_STOP, "")).split(" … ")
    prefix = "" if _plain(head).startswith(fragments[0][:_MATCHED]) else "… "
    suffix = "" if _plain(tail).endswith(fragments[-1][-_MATCHED:]) else " …"
    return prefix + headline + suffix


def _plain(text: str) -> str:
    return _SPACE.sub(" ", html.unescape(text)).strip()


def snippet_html(article, query: str) -> str:
    """An escaped snippet with the matches wrapped in <mark>."""
    headline = getattr(article, "headline", None)
    if headline is None:
        headline = _plain_snippet(article.body_text, query)
    else:
        # ts_headline read the text with its entities (&amp;, _as_html_text): decode them once,
        # so the escape below is the only one.
        headline = _SPACE.sub(" ", html.unescape(headline)).strip()
    safe = escape(headline).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(safe)


def plain_text(body_html: str) -> str:
    """What a reader reads of a rendered body, as one line of unescaped text."""
    text = body_html or ""
    for pattern, replacement in _TO_PLAIN_TEXT:
        text = re.sub(pattern, replacement, text)
    return _SPACE.sub(" ", html.unescape(text)).strip()


def _as_html_text(field: str) -> Replace:
    """The plain text escaped as in HTML, for ts_headline: its parser takes "<mark>" in the text
    (typed in a code sample) for a tag and leaves it out of the snippet; "&lt;mark&gt;" it
    keeps as it is. The trigger (migration 0019) indexes the same."""
    text = F(field)
    for character, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        text = Replace(text, Value(character), Value(entity))
    return text


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
