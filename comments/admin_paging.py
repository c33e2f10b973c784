"""The comment lists' pages, deep in a newsroom's archive: page 1,000 of "All" must not read
the 50,000 comments before it whole; and a page that others emptied leads on, filters kept."""

from copy import copy

from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import PAGE_VAR
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect


class NarrowOffsetPaginator(Paginator):
    """Django's Paginator, but a page after the first finds its rows' ids alone (an index-only
    scan of the list's order, comment_received_idx or comment_waiting_idx), and only those
    rows are read whole. With the admin's plain OFFSET, PostgreSQL joined the article, the
    parent and the moderator and ran the "edited" subquery (admin.get_queryset) for every row
    it skipped: page 1,000 of 100,000 took 1.5 s, the last page 3 s. Still one query a page:
    the ids are a subquery of it."""

    def page(self, number):
        page = super().page(number)
        skipped = page.start_index() - 1
        if skipped <= 0:  # the first page (or an empty list): nothing is skipped
            return page
        rows = self.object_list
        # Ordered as the list is (the admin's ordering ends in the pk: the slice is stable).
        ids = rows.values("pk")[skipped : page.end_index()]
        page.object_list = rows.filter(pk__in=ids)
        return page


class PageGone(Exception):
    """The page asked for is past the list's last page now (its comments decided meanwhile)."""

    def __init__(self, last: int):
        super().__init__(last)
        self.last = last


PAGE_GONE = (
    "That page of the list no longer exists: comments on it were decided meanwhile. This is "
    "the list's last page now, with the same search and filters."
)


class KeptFiltersPaging:
    """Mixed into CommentAdmin, last before ModelAdmin. A page past the list's end (others
    decided the comments on it; the queue's "Next page" reloads its page) led, through the
    admin's "?e=1", to the whole pending queue's first page: the moderator's search and
    filters lost without a word. It leads to the last page of the same list instead, saying so;
    a bulk action posted from such a page still acts on the comments ticked."""

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except IncorrectLookupParameters:
            if PAGE_VAR not in request.GET:
                raise  # a filter that does not apply: the admin's own answer
            listing = copy(request)
            listing.GET = request.GET.copy()
            del listing.GET[PAGE_VAR]
            cl = super().get_changelist_instance(listing)  # its filters wrong too: raises
            if request.method == "POST":
                return cl  # the action reads the ticked comments, not the page
            raise PageGone(cl.paginator.num_pages) from None

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except PageGone as gone:
            params = request.GET.copy()
            del params[PAGE_VAR]
            if gone.last > 1:
                params[PAGE_VAR] = gone.last
            self.message_user(request, PAGE_GONE, messages.INFO)
            query = params.urlencode()
            return HttpResponseRedirect(f"{request.path}?{query}" if query else request.path)
