"""The comment lists by status (Pending, Approved, Rejected, Spam, Reported (n), All), in the
sidebar's filter and the tabs above the list, and what each would show: counted under the
list's search and its other filters, as clicking one shows them."""

from django.contrib import admin
from django.db.models import Count, Q

from comments.models import Comment, Report
from comments.querysets import PENDING
from comments.stats import reported_count

DECIDED = [Comment.Status.APPROVED, Comment.Status.REJECTED, Comment.Status.SPAM]


class StatusFilter(admin.SimpleListFilter):
    """Status, opening on the pending queue: the list moderators come for. "Reported": the
    published comments readers have reported, waiting for a moderator."""

    title = "status"
    parameter_name = "status"
    default = Comment.Status.PENDING

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self._counts = None  # asked by the tabs and by the sidebar: counted once

    def lookups(self, request, model_admin):
        if not request.user.has_perm("comments.moderate_comment"):
            # Readers' reports are for moderators (CommentAdmin refuses the queue to others).
            return [*Comment.Status.choices, ("all", "All")]
        # Its count is the list's (choices): a search of the queue is not the whole site.
        return [*Comment.Status.choices, ("reported", "Reported"), ("all", "All")]

    @staticmethod
    def condition(value: str) -> Q | None:
        """The comments the list of this value holds (None: all), as one condition: the list
        itself, and its count beside the others' in the same query."""
        if value == "all":
            return None
        if value == "reported":
            return Q(pk__in=Report.objects.open().values("comment_id"))
        if value == Comment.Status.PENDING:
            return PENDING  # Comment.objects.pending()'s condition
        return Q(status=value)

    def queryset(self, request, queryset):
        condition = self.condition(self.value() or self.default)
        return queryset if condition is None else queryset.filter(condition)

    def counts(self, changelist) -> dict[str, int]:
        """How many comments each list holds under the list's search and other filters, in one
        query (the admin's own facets count each in a subquery of its own, searching again).
        Neither given nor "Show counts" asked for (the admin's facets), only Reported's: the
        whole site's."""
        if self._counts is None and not (changelist.add_facets or narrowed(changelist)):
            self._counts = {"reported": reported_count()}
        if self._counts is None:
            found = beside_status(changelist, self.request).aggregate(
                **{
                    f"n_{lookup}": Count("pk", filter=self.condition(lookup))
                    for lookup, _ in self.lookup_choices
                }
            )
            self._counts = {key.removeprefix("n_"): n for key, n in found.items()}
        return self._counts

    def choices(self, changelist):
        current = self.value() or self.default
        # "Reported" always says how many wait; with "Show counts" every list says how many.
        reported = any(lookup == "reported" for lookup, _ in self.lookup_choices)
        counts = self.counts(changelist) if changelist.add_facets or reported else {}
        for lookup, title in self.lookup_choices:
            if changelist.add_facets or lookup == "reported":
                title = f"{title} ({counts[lookup]})"
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


def narrowed(cl) -> bool:
    """A search or a filter (section, date) beside the status narrows the list."""
    return bool(cl.query) or any(
        key != StatusFilter.parameter_name for key in cl.get_filters_params()
    )


def beside_status(cl, request):
    """The comments the list's other filters (section, date) and its search leave, whatever
    their status: from the filters the list has built (the stock way builds them all again,
    three queries more)."""
    matches = cl.root_queryset
    for spec in cl.filter_specs:
        if not isinstance(spec, StatusFilter):
            matches = spec.queryset(request, matches)
    matches, _ = cl.model_admin.get_search_results(request, matches, cl.query)
    return matches


def found_elsewhere(cl, statuses: StatusFilter) -> list[tuple[int, str, str]]:
    """What the pending queue's search finds in the other lists, (count, status, the list's
    address with the search), from the lists' counts: a reader's complaint is about a comment
    already decided, which the queue, searched, never shows."""
    if not cl.query:
        return []
    counts = statuses.counts(cl)
    return [
        (counts[status.value], status.label.lower(), cl.get_query_string({"status": status}))
        for status in DECIDED
        if counts.get(status.value)
    ]
