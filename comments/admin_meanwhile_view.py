"""The queue's question, now and then, about its cards (moderation-meanwhile.js): which were
decided by others since the page was drawn (comments.admin_meanwhile says by whom), and how
many comments joined the queue since, under the page's search and filters."""

from contextlib import suppress
from datetime import UTC

from django.contrib.admin import FieldListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.views.main import SEARCH_VAR, ChangeListSearchForm
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.utils.dateparse import parse_datetime

from comments.admin_meanwhile import decided_meanwhile, reports_decided_meanwhile
from comments.models import Comment, Report
from comments.posted_ids import posted_ids
from comments.querysets import PENDING

# A page shows fifty cards: a question about more is not the queue's.
MOST_CARDS = 100


def newly_reported(since):
    """The comments on the Reported queue now that were not when `since`: every open report on
    them made since (a comment reported again after its reports were closed is new there)."""
    still_open = Report.objects.open()
    return Comment.objects.filter(pk__in=still_open.values("comment_id")).exclude(
        pk__in=still_open.filter(created_at__lte=since).values("comment_id")
    )


def _moment(value: str):
    """The time a queue page was drawn, as it wrote it (with its zone); anything else: None,
    a moment out of the range a database stores too ("0001-01-01T00:00:00+01:00", before the
    year 1 in UTC: an OverflowError on SQLite)."""
    try:
        moment = parse_datetime(value)
        return moment.astimezone(UTC) if moment and moment.tzinfo else None
    except (ValueError, OverflowError):
        return None


def _searched(request) -> str:
    """The list's search, as the list reads it: words its search form refuses (a NUL, which
    PostgreSQL refuses in text) search for nothing there, and so here."""
    form = ChangeListSearchForm(request.GET)
    return (form.cleaned_data.get(SEARCH_VAR) or "") if form.is_valid() else ""


class MeanwhileView:
    """Mixed into CommentAdmin (which routes the URL to meanwhile_view)."""

    def meanwhile_view(self, request):
        """The queue's script asks, now and then, which of the cards it shows as waiting were
        decided by someone else since: those cards close, saying by whom."""
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        pks = posted_ids(request.GET.getlist("pk")[:MOST_CARDS])
        since = _moment(request.GET.get("since", ""))
        if request.GET.get("queue") == "reported":  # decided: its reports, not the comment
            answer = {"decided": reports_decided_meanwhile(pks, by=request.user)}
            came = newly_reported(since) if since else None
        else:
            answer = {"decided": decided_meanwhile(pks, by=request.user)}
            came = Comment.objects.filter(PENDING, created_at__gt=since) if since else None
        if came is not None:
            # Asked at most once a minute (moderation-meanwhile.js): the comments that joined
            # the queue since the page was drawn, under its search and its section and date
            # filters, which its counts and a line above the cards tell.
            came, _ = self.get_search_results(request, came, _searched(request))
            with suppress(IncorrectLookupParameters):  # one the list refuses: nothing told
                answer["arrived"] = self._as_filtered(request, came).count()
        return JsonResponse(answer)

    def _as_filtered(self, request, comments):
        """The list's own filters (by section, by date: the status is the queue asked about),
        read from the question's address as the list reads them from its own."""
        params = {key: request.GET.getlist(key) for key in request.GET}
        for path in self.list_filter:
            if not isinstance(path, str) or not any(k.startswith(path) for k in params):
                continue  # the status filter; or a filter not in use (never build its choices)
            field = get_fields_from_path(self.model, path)[-1]
            spec = FieldListFilter.create(field, request, params, self.model, self, path)
            comments = spec.queryset(request, comments)
        return comments
