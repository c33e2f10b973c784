import functools
import time
from urllib.parse import urljoin

from django.conf import settings
from django.core import signing
from django.core.paginator import Paginator
from django.db.models import Q, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from articles.cachebatch import batching
from articles.models import Article, Author, Tag
from articles.pagecache import (
    CATALOGUE,
    LISTS,
    NAVIGATION_KEY,
    anonymous_page_cache,
    article_version_key,
    cached_fragment,
    fragment_key,
    lists_version,
    navigation_sections,
    shared_context,
    shared_page,
    version_key,
)
from articles.querysets import detail_prefetches
from articles.rendering import body_with_inline_links, json_ld_script
from articles.search import clean_query, search_articles, snippet_html
from comments.display import PAGE_PARAM as COMMENTS_PAGE_PARAM
from comments.display import (
    comment_form_html,
    comment_list_html,
    comment_section,
    comment_section_cache_keys,
)
from comments.tokens import FORM_SALT, form_token

PAGE_SIZE = 10
RELATED_FALLBACK_COUNT = 5


def _page(request, queryset, per_page=PAGE_SIZE):
    # get_page() turns junk or out-of-range page numbers into a real page, never an error.
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _article_versions(request, slug):
    return [article_version_key(slug), CATALOGUE]


def _fresh_form_start(request, old: str) -> str:
    global _form_token_memo
    # The comment form's signed start time must be this reader's, not the cached page's. The
    # token is the same for every page served in the same second (it holds the article and the
    # second, signed): made once per second, not once per reader.
    now = int(time.time())
    memo = _form_token_memo
    if memo[0] != now or memo[1] != old:
        article_id = _form_article(old)
        fresh = old if article_id is None else form_token(article_id, issued_at=now)
        memo = _form_token_memo = (now, old, fresh)
    return memo[2]


# (second, cached page's token, this second's token): one tuple, replaced whole.
_form_token_memo: tuple = (None, None, None)


@functools.lru_cache(maxsize=256)
def _form_article(token: str) -> int | None:
    """The article a cached page's form token was signed for (a signed token's payload never
    changes, so this is safe to remember)."""
    try:
        value = signing.loads(token, salt=FORM_SALT)
    except signing.BadSignature:
        return None
    return value["a"] if isinstance(value, dict) and "a" in value else None


def _listing_key(request, template: str) -> str:
    return f"{template}|{request.path}|{request.GET.get('page', '')}"


def _listing_html(request, template: str, build_context) -> str:
    """The list part of a listing page, shared by every reader until an article or a count in
    it changes (the "lists" version)."""
    return cached_fragment(
        _listing_key(request, template),
        [LISTS],
        lambda: render_to_string(template, build_context(), request=request),
    )


def _listing_cache_keys(template: str):
    def keys(request, *args, **kwargs):
        # The menu too: a section page finds its section in it.
        return [
            fragment_key(_listing_page_key(request, template)),
            version_key(LISTS),
            NAVIGATION_KEY,
        ]

    return keys


def _listing_page_key(request, template: str) -> str:
    return f"page-b|{_listing_key(request, template)}"  # -b: stored as bytes


def _listing_page(request, *, template, page_template, build_context, context=None):
    """A listing page: the list (a shared fragment) in the page around it, the whole page
    shared by every reader until the "lists" version moves, but for each reader's messages."""

    def render_page(marks):
        page_context = {
            **shared_context(),
            **(context or {}),
            "listing_html": _listing_html(request, template, build_context),
            "messages_html": marks["messages"],
        }
        return render_to_string(page_template, page_context, request=request)

    return shared_page(request, _listing_page_key(request, template), [LISTS], render_page)


@anonymous_page_cache(lists_version)
@batching(_listing_cache_keys("includes/home_listing.html"))
def home(request):
    def build():
        listing = Article.objects.for_listing()
        lead = listing.first()
        page_obj = _page(request, listing.exclude(pk=lead.pk) if lead else listing)
        # The lead story tops the first page only; later pages continue the list.
        return {"lead": lead if page_obj.number == 1 else None, "page_obj": page_obj}

    return _listing_page(
        request,
        template="includes/home_listing.html",
        page_template="articles/home.html",
        build_context=build,
    )


def _listing(request, *, title, description, queryset):
    """queryset: a function returning the articles to list (only called to render the list)."""
    return _listing_page(
        request,
        template="includes/article_list.html",
        page_template="articles/article_list.html",
        build_context=lambda: {"page_obj": _page(request, queryset())},
        context={"title": title, "description": description},
    )


@anonymous_page_cache(lists_version)
@batching(_listing_cache_keys("includes/article_list.html"))
def section_detail(request, slug):
    # The menu already holds every section (from the shared cache): no query to find this one.
    section = next((s for s in navigation_sections(request) if s["slug"] == slug), None)
    if section is None:
        raise Http404("No such section")
    return _listing(
        request,
        title=section["name"],
        description=f"The latest from {section['name']}.",
        queryset=lambda: Article.objects.for_listing().filter(section__slug=slug),
    )


@anonymous_page_cache(lists_version)
@batching(_listing_cache_keys("includes/article_list.html"))
def author_detail(request, slug):
    author = get_object_or_404(Author, slug=slug)
    return _listing(
        request,
        title=author.name,
        description=author.bio,
        queryset=lambda: Article.objects.for_listing().filter(authors=author),
    )


@anonymous_page_cache(lists_version)
@batching(_listing_cache_keys("includes/article_list.html"))
def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    return _listing(
        request,
        title=f"Tagged “{tag.name}”",
        description=f"Articles about {tag.name}.",
        queryset=lambda: Article.objects.for_listing().filter(tags=tag),
    )


def _article_cache_keys(request, slug):
    """Everything the article page reads from the shared cache, for one round trip."""
    return [
        fragment_key(f"article-row|{slug}"),
        fragment_key(_shell_key(request, slug, True)),
        fragment_key(_shell_key(request, slug, False)),
        *(version_key(name) for name in _article_versions(request, slug)),
        *comment_section_cache_keys(request, slug),
    ]


@anonymous_page_cache(_article_versions, fresh_fields={"started": _fresh_form_start})
@batching(_article_cache_keys)
def article_detail(request, slug):
    article = _article_row(slug)
    is_preview = not article.is_public
    if is_preview and not request.user.is_staff:
        raise Http404("No article found")
    response = render_article_page(request, article, is_preview=is_preview)
    if is_preview:
        add_never_cache_headers(response)
    return response


def _article_row(slug: str) -> Article:
    """The article (without its body, which only the shared fragment needs) from the shared
    cache, fresh whenever the article's version (or its section's name) moves. Visibility is
    still decided per request from its status and publish time; a missing article is never
    cached."""

    def load():
        return get_object_or_404(Article.objects.select_related("section").defer("body"), slug=slug)

    return cached_fragment(f"article-row|{slug}", _article_versions(None, slug), load)


def render_article_page(request, article, *, form=None, status=200, is_preview=False):
    """The article page. The comment views call it to show the form again with errors.

    The article itself (head meta and body), its comments and the page around them are the
    same for every reader, so they are rendered once per version of the article and shared;
    only the reader's comment form and messages are drawn per request.
    """

    def build():
        prefetch_related_objects([article], *detail_prefetches())
        context = _article_context(request, article)
        return {
            "head": render_to_string("includes/article_meta.html", context, request=request),
            "main": render_to_string("includes/article_main.html", context, request=request),
        }

    context = {"article": article, "is_preview": is_preview}
    context.update(comment_section(request, article, form=form))
    context["comment_form_html"] = comment_form_html(
        request, article, context, is_preview=is_preview
    )
    if is_preview:
        parts = build()
        context.update(article_head=parts["head"], article_main=parts["main"])
        context["comment_list_html"] = comment_list_html(
            request, article, is_open=context["comments_open"], shared=False
        )
        return render(request, "articles/article_detail.html", context, status=status)

    def render_page(marks):
        parts = cached_fragment(
            f"article|{article.slug}", [article_version_key(article.slug), CATALOGUE], build
        )
        page_context = {
            **shared_context(),
            "article": article,
            "article_head": parts["head"],
            "article_main": parts["main"],
            "is_preview": False,
            "comment_list_html": comment_list_html(
                request, article, is_open=context["comments_open"]
            ),
            "comment_form_html": marks["form"],
            "messages_html": marks["messages"],
        }
        return render_to_string("articles/article_detail.html", page_context, request=request)

    return shared_page(
        request,
        _shell_key(request, article.slug, context["comments_open"]),
        [article_version_key(article.slug), CATALOGUE],
        render_page,
        {"form": context["comment_form_html"]},
        status=status,
    )


def _shell_key(request, slug: str, is_open: bool) -> str:
    # Keyed by slug, so the view can name it before it has the article; a slug that moves to
    # another article moves its version too (both slugs are purged), so no stale copy is used.
    return f"article-page-b|{slug}|{request.GET.get(COMMENTS_PAGE_PARAM, '')}|{is_open}"


def _article_context(request, article) -> dict:
    """What the shared article fragment (head meta and body) is rendered from."""
    links = article.visible_related_links
    fallback = []
    if not links:
        fallback = list(related_fallback(article))
    # From SITE_URL, not the request: this fragment is shared by every reader, whatever host
    # or scheme the first of them happened to use.
    share_url = settings.SITE_URL + article.get_absolute_url()
    hero_url = urljoin(settings.SITE_URL + "/", article.hero_url) if article.hero_renditions else ""
    return {
        "article": article,
        "json_ld": json_ld_script(news_article_json_ld(article, share_url, hero_url)),
        "hero_absolute_url": hero_url,
        "body_html": body_with_inline_links(article.body, links),
        "related_links": links,
        "related_fallback": fallback,
        "share_url": share_url,
    }


def news_article_json_ld(article, url: str, hero_url: str) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.standfirst,
        "mainEntityOfPage": url,
        "url": url,
        "datePublished": article.published_at.isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "articleSection": article.section.name,
        "author": [{"@type": "Person", "name": a.name} for a in article.authors.all()],
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME},
    }
    if hero_url:
        data["image"] = [hero_url]
    return data


def related_fallback(article):
    """Recent articles from the same section or sharing a tag, when no links were curated."""
    tag_ids = [tag.pk for tag in article.tags.all()]
    return (
        Article.objects.for_listing()
        .filter(Q(section_id=article.section_id) | Q(tags__in=tag_ids))
        .exclude(pk=article.pk)
        .distinct()[:RELATED_FALLBACK_COUNT]
    )


def _search_key(request, query: str) -> str:
    return f"search|{query}|{request.GET.get('page', '')}"


def _search_cache_keys(request):
    keys = [version_key(LISTS), NAVIGATION_KEY]
    query = clean_query(request.GET.get("q"))
    return [fragment_key(_search_key(request, query)), *keys] if query else keys


@batching(_search_cache_keys)
def search(request):
    query = clean_query(request.GET.get("q"))

    def build():
        page_obj = _page(request, search_articles(Article.objects.for_listing(), query))
        for article in page_obj:
            article.snippet = snippet_html(article, query)
        return {"query": query, "page_obj": page_obj}

    # A common word is searched by many readers at once (a story everyone follows): the
    # ranked results are shared until an article changes.
    results_html = (
        cached_fragment(
            _search_key(request, query),
            [LISTS],
            lambda: render_to_string("includes/search_results.html", build(), request=request),
        )
        if query
        else ""
    )
    return render(request, "articles/search.html", {"query": query, "results_html": results_html})
