"""How the site pages a list, the same on every page that does (article lists, search, a
commenter's own comments, an article's comments): `?page=N`, page 1 only at the address without
it, and no page under a number that is not a plain positive one or lies past the end."""

import re

from django.core.paginator import EmptyPage, Paginator
from django.shortcuts import redirect

# An article's comments are paged on the article's own page, beside nothing else paged there.
COMMENTS_PAGE_PARAM = "comments-page"


class PastTheLastPage(Exception):
    """Raised while drawing a page whose part paged on its own (an article's comments) was asked
    for past its last page, so the view that owns the address sends the reader to that one."""

    def __init__(self, last_page: int):
        super().__init__(f"past the last page ({last_page})")
        self.last_page = last_page


def page_number(request, param: str = "page") -> int | None:
    """The page asked for (1 when none is), or None for anything but one plain positive number:
    one address per page, so search engines and caches see no copies under made-up numbers (nor
    under the parameter given twice, which would name a page twice)."""
    values = request.GET.getlist(param) or ["1"]
    if len(values) > 1 or not re.fullmatch(r"[1-9][0-9]{0,8}", values[0]):
        return None
    return int(values[0])


def page_or_none(queryset, per_page: int, number: int):
    """The page, or None past the last one (the first page of an empty list exists)."""
    try:
        return Paginator(queryset, per_page).page(number)
    except EmptyPage:
        return None


def page_address(request, param: str, number: int) -> str:
    """This address showing page `number`: page 1 without the parameter, the rest of the query
    kept where it was."""
    query = request.GET.copy()
    if number > 1:
        query[param] = str(number)
    else:
        query.pop(param, None)
    return request.path + (f"?{query.urlencode()}" if query else "")


def page_one_redirect(request, param: str = "page"):
    """?page=1 (typed, or linked from elsewhere) would be page 1 under a second address: the
    redirect for good (301) to the address without it, the rest of the query kept; None for
    any other request. The caller says who may keep it."""
    if request.GET.getlist(param) != ["1"]:  # named twice, it is no page (page_number)
        return None
    return redirect(page_address(request, param, 1), permanent=True)


def no_page_redirect(request, param: str):
    """For a part of a page paged on its own (an article's comments), where a wrong value must
    not cost the reader the page itself, as a 404 would: page 1 by number, or a value that names
    no page (`abc`, `0`, `01`, empty, the parameter given twice), leads for good (301) to the
    address without it, the rest of the query kept. None for no value and for a plain positive
    number (whether that page exists is for the drawing to find: PastTheLastPage)."""
    if param not in request.GET or page_number(request, param) not in (None, 1):
        return None
    return redirect(page_address(request, param, 1), permanent=True)
