from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from articles.models import Article, Author, Section, Tag
from articles.pages import article_page_parts
from articles.search import clean_query, search_articles, snippet_html
from newsportal.caching import LISTS, SITE, cached, mark_personal, mark_shared, signed_in_user

PAGE_SIZE = 10
# Page numbers beyond this are drawn for the reader who asks but not kept: made-up numbers
# cannot fill the cache.
MAX_CACHED_PAGE = 1000


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


def _listing(request, name, make):
    """A list page: make() returns its parts ({"title", "description", "html"}), or None when
    there is no such list."""
    parts = _drawn_once(request, name, make)
    if parts is None:
        raise Http404("No such list")
    return mark_shared(request, render(request, "articles/article_list.html", parts), LISTS)


def _list_parts(number, *, title, description, queryset) -> dict:
    page_obj = Paginator(queryset, PAGE_SIZE).get_page(number)
    html = render_to_string("includes/article_list.html", {"page_obj": page_obj})
    return {"title": title, "description": description, "html": html}


@require_safe
def home(request):
    def make(number):
        listing = Article.objects.for_listing()
        lead = listing.first()
        page_obj = Paginator(listing.exclude(pk=lead.pk) if lead else listing, PAGE_SIZE)
        page_obj = page_obj.get_page(number)
        # The lead story tops the first page only; later pages continue the list.
        context = {"lead": lead if page_obj.number == 1 else None, "page_obj": page_obj}
        return render_to_string("includes/home_listing.html", context)

    html = _drawn_once(request, "home", make)
    return mark_shared(
        request, render(request, "articles/home.html", {"listing_html": html}), LISTS
    )


@require_safe
def section_detail(request, slug):
    def make(number):
        section = Section.objects.filter(slug=slug).first()
        return section and _list_parts(
            number,
            title=section.name,
            description=f"The latest from {section.name}.",
            queryset=Article.objects.for_listing().filter(section=section),
        )

    return _listing(request, f"section|{slug}", make)


@require_safe
def author_detail(request, slug):
    def make(number):
        author = Author.objects.filter(slug=slug).first()
        return author and _list_parts(
            number,
            title=author.name,
            description=author.bio,
            queryset=Article.objects.for_listing().filter(authors=author),
        )

    return _listing(request, f"author|{slug}", make)


@require_safe
def tag_detail(request, slug):
    def make(number):
        tag = Tag.objects.filter(slug=slug).first()
        return tag and _list_parts(
            number,
            title=f"Tagged “{tag.name}”",
            description=f"Articles about {tag.name}.",
            queryset=Article.objects.for_listing().filter(tags=tag),
        )

    return _listing(request, f"tag|{slug}", make)


@require_safe
def article_detail(request, slug):
    article = (
        Article.objects.select_related("section")
        .defer("body", "body_html")
        .filter(slug=slug)
        .first()
    )
    if article is None:
        raise Http404("No article found")
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
        return render_to_string(
            "includes/search_results.html", {"query": query, "page_obj": page_obj}
        )

    # A word everyone looks up at once (a story everyone follows) is ranked once.
    html = _drawn_once(request, f"search|{query}", make) if query else ""
    response = render(request, "articles/search.html", {"query": query, "results_html": html})
    return mark_shared(request, response, LISTS)
