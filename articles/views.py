from urllib.parse import urljoin

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from articles.models import Article, Author, Tag
from articles.pagecache import (
    CATALOGUE,
    LISTS,
    anonymous_page_cache,
    article_version_key,
    cached_fragment,
    lists_version,
    navigation_sections,
)
from articles.querysets import detail_prefetches
from articles.rendering import body_with_inline_links, json_ld_script
from articles.search import clean_query, search_articles, snippet_html
from comments.display import comment_section
from comments.tokens import refresh_form_token

PAGE_SIZE = 10
RELATED_FALLBACK_COUNT = 5


def _page(request, queryset, per_page=PAGE_SIZE):
    # get_page() turns junk or out-of-range page numbers into a real page, never an error.
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _article_versions(request, slug):
    return [article_version_key(slug), CATALOGUE]


def _fresh_form_start(request, old: str) -> str:
    # The comment form's signed start time must be this reader's, not the cached page's.
    return refresh_form_token(old)


def _listing_html(request, template: str, build_context) -> str:
    """The list part of a listing page, shared by every reader until an article or a count in
    it changes (the "lists" version)."""
    key = f"{template}|{request.path}|{request.GET.get('page', '')}"
    return cached_fragment(
        key, [LISTS], lambda: render_to_string(template, build_context(), request=request)
    )


@anonymous_page_cache(lists_version)
def home(request):
    def build():
        listing = Article.objects.for_listing()
        lead = listing.first()
        page_obj = _page(request, listing.exclude(pk=lead.pk) if lead else listing)
        # The lead story tops the first page only; later pages continue the list.
        return {"lead": lead if page_obj.number == 1 else None, "page_obj": page_obj}

    html = _listing_html(request, "includes/home_listing.html", build)
    return render(request, "articles/home.html", {"listing_html": html})


def _listing(request, *, title, description, queryset):
    html = _listing_html(
        request, "includes/article_list.html", lambda: {"page_obj": _page(request, queryset)}
    )
    return render(
        request,
        "articles/article_list.html",
        {
            "title": title,
            "description": description,
            "listing_html": html,
        },
    )


@anonymous_page_cache(lists_version)
def section_detail(request, slug):
    # The menu already holds every section (from the shared cache): no query to find this one.
    section = next((s for s in navigation_sections(request) if s["slug"] == slug), None)
    if section is None:
        raise Http404("No such section")
    return _listing(
        request,
        title=section["name"],
        description=f"The latest from {section['name']}.",
        queryset=Article.objects.for_listing().filter(section__slug=slug),
    )


@anonymous_page_cache(lists_version)
def author_detail(request, slug):
    author = get_object_or_404(Author, slug=slug)
    return _listing(
        request,
        title=author.name,
        description=author.bio,
        queryset=Article.objects.for_listing().filter(authors=author),
    )


@anonymous_page_cache(lists_version)
def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    return _listing(
        request,
        title=f"Tagged “{tag.name}”",
        description=f"Articles about {tag.name}.",
        queryset=Article.objects.for_listing().filter(tags=tag),
    )


@anonymous_page_cache(_article_versions, fresh_fields={"started": _fresh_form_start})
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

    The article itself (head meta and body) is the same for every reader, so it is rendered
    once per version of the article and shared; only the comment form is drawn per reader.
    """

    def build():
        prefetch_related_objects([article], *detail_prefetches())
        context = _article_context(request, article)
        return {
            "head": render_to_string("includes/article_meta.html", context, request=request),
            "main": render_to_string("includes/article_main.html", context, request=request),
        }

    if is_preview:
        parts = build()
    else:
        parts = cached_fragment(
            f"article|{article.pk}", [article_version_key(article.slug), CATALOGUE], build
        )
    context = {
        "article": article,
        "article_head": parts["head"],
        "article_main": parts["main"],
        "is_preview": is_preview,
    }
    context.update(comment_section(request, article, form=form, shared=not is_preview))
    return render(request, "articles/article_detail.html", context, status=status)


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
            f"search|{query}|{request.GET.get('page', '')}",
            [LISTS],
            lambda: render_to_string("includes/search_results.html", build(), request=request),
        )
        if query
        else ""
    )
    return render(request, "articles/search.html", {"query": query, "results_html": results_html})
