"""What every list page shares (home, sections, authors, tags, search results, corrections):
one address per page, pages drawn once for every reader, and what tells page 2 from page 1."""

from functools import wraps

from django.conf import settings
from django.http import Http404

from articles.context_processors import mark_menus, strip_outlived
from newsportal.caching import LISTS, SITE, cached, listed_key, mark_shared
from newsportal.paging import page_number, page_one_redirect, page_or_none

PAGE_SIZE = 10
MAX_CACHED_PAGE = 1000  # beyond it, drawn but not kept: made-up numbers cannot fill the cache


def page_number_or_404(request) -> int:
    number = page_number(request)
    if number is None:
        raise Http404("No such page")
    return number


def page_one_at_one_address(param, moves=page_one_redirect):
    """?page=1 leads on for good to the address without it (newsportal.paging), the same way
    for every reader; moves(request, param) says which other values do too."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            moved = moves(request, param)
            if moved is None:
                return view(request, *args, **kwargs)
            return mark_shared(request, moved)

        return wrapped

    return decorator


def page_of(queryset, number):
    return page_or_none(queryset, PAGE_SIZE, number)


def drawn_once(request, name, make, keys=()):
    """make(page number), kept for every reader until a write purges the lists (or one of
    these keys); a page past the end (make gives None) is a 404."""
    number = page_number_or_404(request)
    if number > MAX_CACHED_PAGE:
        parts = make(number)
    else:
        # "with-menus|listed|breaking": the parts' shape since they carry the menus and the
        # breaking-news strip drawn, and the keys.
        name = f"{name}|{number}|with-menus|listed|breaking"
        parts = cached(name, [SITE, LISTS, *keys], lambda: make(number))
        if parts is not None and strip_outlived(parts):
            parts = make(number)
    if parts is None:
        raise Http404("No such page")
    mark_menus(request, parts)
    return parts


def listed_keys(articles) -> list[str]:
    """The keys of the stories a page shows: taking one down, or editing its words, purges the
    page for good."""
    return [listed_key(article.pk) for article in articles]


def paged(request, title: str) -> dict:
    """What tells page 2 from page 1: its title and heading, and its one canonical address."""
    number = page_number_or_404(request)
    canonical = settings.SITE_URL + request.path
    if number > 1:
        title, canonical = f"{title} \N{EN DASH} page {number}", f"{canonical}?page={number}"
    return {"page_number": number, "page_title": title, "canonical_url": canonical}
