from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from articles.context_processors import navigation_sections
from articles.models import Article, Author, Section, Tag
from articles.pages import article_page_parts
from articles.search import clean_query, search_articles, snippet_html
from newsportal.caching import LISTS, SITE, cached, mark_personal, mark_shared, signed_in_user

PAGE_SIZE = 10
MAX_CACHED_PAGE = 1000  # beyond it, drawn but not kept: made-up numbers cannot fill the cache


def _page_number(request) -> int:
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        return 1
    return number if number > 0 else 1


def _drawn_once(request, name, make):
    """make(page number), kept for every reader until a write purges the lists."""
    number = _page_number(request)
    if number > MAX_CACHED_PAGE:
        return make(number)
    return cached(f"{name}|{number}", [SITE, LISTS], lambda: make(number))


# What a list page of each kind lists, its title and its description.
LISTINGS = {
    "section": (Section, "section", lambda s: s.name, lambda s: f"The latest from {s.name}."),
    "author": (Author, "authors", lambda a: a.name, lambda a: a.bio),
    "tag": (Tag, "tags", lambda t: f"Tagged “{t.name}”", lambda t: f"Articles about {t.name}."),
}


def _listing(request, slug, *, kind):
    model, field, title, description = LISTINGS[kind]

    def make(number):
        owner = model.objects.filter(slug=slug).first()
        if owner is None:
            return None
        queryset = Article.objects.for_listing().filter(**{field: owner})
        page_obj = Paginator(queryset, PAGE_SIZE).get_page(number)
        html = render_to_string("includes/article_list.html", {"page_obj": page_obj})
        return {
            "title": title(owner),
            "description": description(owner),
            "html": html,
            "nav_sections": navigation_sections(),
        }

    parts = _drawn_once(request, f"{kind}|{slug}", make)
    if parts is None:
        raise Http404(f"No such {kind}")
    return mark_shared(request, render(request, "articles/article_list.html", parts), LISTS)


@require_safe
def home(request):
    def make(number):
        listing = Article.objects.for_listing()
        lead = listing.first()
        page_obj = Paginator(listing.exclude(pk=lead.pk) if lead else listing, PAGE_SIZE)
        page_obj = page_obj.get_page(number)
        # The lead story tops the first page only; later pages continue the list.
        context = {"lead": lead if page_obj.number == 1 else None, "page_obj": page_obj}
        return {
            "listing_html": render_to_string("includes/home_listing.html", context),
            "nav_sections": navigation_sections(),
        }

    parts = _drawn_once(request, "home", make)
    return mark_shared(request, render(request, "articles/home.html", parts), LISTS)


@require_safe
def section_detail(request, slug):
    return _listing(request, slug, kind="section")


@require_safe
def author_detail(request, slug):
    return _listing(request, slug, kind="author")


@require_safe
def tag_detail(request, slug):
    return _listing(request, slug, kind="tag")


@require_safe
def article_detail(request, slug):
    # The row alone, every time (whether it is public is decided now); what the page shows of
    # it and around it comes from its fragment.
    article = get_object_or_404(Article, slug=slug)
    is_preview = not article.is_public
    if is_preview:
        user = signed_in_user(request)
        if user is None or not user.is_staff:
            raise Http404("No article found")
    parts = article_page_parts(article, shared=not is_preview)
    context = {"article": article, "is_preview": is_preview, **parts}
    response = render(request, "articles/article_detail.html", context)
    if is_preview:
        return mark_personal(response)
    return mark_shared(request, response, *parts["surrogate_keys"])


@require_safe
def search(request):
    query = clean_query(request.GET.get("q"))

    def make(number):
        page_obj = Paginator(search_articles(Article.objects.for_listing(), query), PAGE_SIZE)
        page_obj = page_obj.get_page(number)
        for article in page_obj:
            article.snippet = snippet_html(article, query)
        context = {"query": query, "page_obj": page_obj}
        return {
            "results_html": render_to_string("includes/search_results.html", context),
            "nav_sections": navigation_sections(),
        }

    # A word everyone looks up at once (a story everyone follows) is ranked once.
    parts = _drawn_once(request, f"search|{query}", make) if query else {}
    response = render(request, "articles/search.html", {"query": query, **parts})
    return mark_shared(request, response, LISTS)
