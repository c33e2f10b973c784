from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from articles.models import Article, Author, Section, Tag
from articles.pages import article_page_context
from articles.search import clean_query, search_articles, snippet_html
from newsportal.caching import LISTS, mark_personal, mark_shared, shared, signed_in_user

PAGE_SIZE = 10


def _page(request, queryset, per_page=PAGE_SIZE):
    # get_page() turns junk or out-of-range page numbers into a real page, never an error.
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


@require_safe
@shared(LISTS)
def home(request):
    listing = Article.objects.for_listing()
    lead = listing.first()
    page_obj = _page(request, listing.exclude(pk=lead.pk) if lead else listing)
    # The lead story tops the first page only; later pages continue the list.
    context = {"lead": lead if page_obj.number == 1 else None, "page_obj": page_obj}
    return render(request, "articles/home.html", context)


def _listing(request, *, title, description, queryset):
    context = {"title": title, "description": description, "page_obj": _page(request, queryset)}
    return render(request, "articles/article_list.html", context)


@require_safe
@shared(LISTS)
def section_detail(request, slug):
    section = get_object_or_404(Section, slug=slug)
    return _listing(
        request,
        title=section.name,
        description=f"The latest from {section.name}.",
        queryset=Article.objects.for_listing().filter(section=section),
    )


@require_safe
@shared(LISTS)
def author_detail(request, slug):
    author = get_object_or_404(Author, slug=slug)
    return _listing(
        request,
        title=author.name,
        description=author.bio,
        queryset=Article.objects.for_listing().filter(authors=author),
    )


@require_safe
@shared(LISTS)
def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    return _listing(
        request,
        title=f"Tagged “{tag.name}”",
        description=f"Articles about {tag.name}.",
        queryset=Article.objects.for_listing().filter(tags=tag),
    )


@require_safe
def article_detail(request, slug):
    article = get_object_or_404(Article.objects.select_related("section"), slug=slug)
    is_preview = not article.is_public
    if is_preview:
        user = signed_in_user(request)
        if user is None or not user.is_staff:
            raise Http404("No article found")
    context = {**article_page_context(article), "is_preview": is_preview}
    response = render(request, "articles/article_detail.html", context)
    if is_preview:
        return mark_personal(response)
    return mark_shared(request, response, *context["surrogate_keys"])


@require_safe
@shared(LISTS)
def search(request):
    query = clean_query(request.GET.get("q"))
    context = {"query": query}
    if query:
        page_obj = _page(request, search_articles(Article.objects.for_listing(), query))
        for article in page_obj:
            article.snippet = snippet_html(article, query)
        context["page_obj"] = page_obj
    return render(request, "articles/search.html", context)
