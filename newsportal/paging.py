"""How the site pages a list, the same on every page that does (article lists, search, a
commenter's own comments): `?page=N`, page 1 only at the address without it, and no page
under a number that is not a plain positive one or lies past the end."""

import re

from django.core.paginator import EmptyPage, Paginator
from django.shortcuts import redirect


def page_number(request, param: str = "page") -> int | None:
    """The page asked for (1 when none is), or None for anything but a plain positive number:
    one address per page, so search engines and caches see no copies under made-up numbers."""
    raw = request.GET.get(param, "1")
    if not re.fullmatch(r"[1-9][0-9]{0,8}", raw):
        return None
    return int(raw)


def page_or_none(queryset, per_page: int, number: int):
    """The page, or None past the last one (the first page of an empty list exists)."""
    try:
        return Paginator(queryset, per_page).page(number)
    except EmptyPage:
        return None


def page_one_redirect(request, param: str = "page"):
    """?page=1 (typed, or linked from elsewhere) would be page 1 under a second address: the
    redirect for good (301) to the address without it, the rest of the query kept; None for
    any other request. The caller says who may keep it."""
    if request.GET.get(param) != "1":
        return None
    query = request.GET.copy()
    del query[param]
    return redirect(request.path + (f"?{query.urlencode()}" if query else ""), permanent=True)
