"""A comment's own page in the admin: what a moderator may do there (decide it, decide its
readers' reports, or put a decision made by mistake back in the queue), and where a decision
made there leads on to: the next comment waiting in the list the page was opened from."""

from copy import copy

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ALL_VAR, ERROR_FLAG, PAGE_VAR
from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse

from comments.admin_decisions import ONE_CLICK, decision_links
from comments.admin_kept import KEPT_REASONS
from comments.admin_picks import pick_context
from comments.admin_posted import decision_moment
from comments.admin_queue import current_queue, report_reasons
from comments.desk import hidden_by_reports
from comments.emptied import EMPTIED_TEXT, is_emptied
from comments.models import Comment, RejectionReason
from comments.report_undo import came_down_with, hangs_on_parent

REPORT_LINKS = [("take_down", "Take down"), ("dismiss", "Dismiss")]


class CommentPageViews:
    """Mixed into CommentAdmin before DecisionViews (whose answers lead on through
    _next_waiting)."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        comment = self.get_object(request, unquote(object_id))
        moderator = comment is not None and self.has_moderate_permission(request)
        # Readers' words about a commenter, and who is being reported: for moderators only.
        reports = list(comment.reports.open()) if moderator else []
        actions, on_reports = [], False
        if moderator and comment.status == Comment.Status.PENDING:
            # Hidden by its readers' reports: decided as a report, with its replies. (Back in
            # the queue because its author edited it, it is decided as any edit is.)
            on_reports = hidden_by_reports(comment) and bool(reports)
            actions = decision_links(comment.pk, REPORT_LINKS if on_reports else ONE_CLICK)
            # Published replies it hid as it came back to the queue: what a decision does to
            # them is said beside the buttons (a rejection leaves them under a placeholder,
            # unless it upholds readers' reports, which take them down: report_answers).
            hidden = Comment.objects.approved().filter(parent=comment, withdrawn_at=None)
            hidden = 0 if reports else hidden.count()
            extra_context = {**(extra_context or {}), "hidden_replies": hidden}
        elif moderator and reports and not comment.withdrawn_at:
            # Up and reported (opened from the Reported queue): its reports are decided here as
            # on its card, not sent "Back to the queue" as if decided by mistake.
            on_reports = True
            actions = decision_links(comment.pk, REPORT_LINKS)
        elif moderator and is_emptied(comment):
            # Its words gone at the prune: no decision may publish it again (comments.emptied).
            extra_context = {**(extra_context or {}), "emptied": EMPTIED_TEXT}
        elif moderator and not comment.withdrawn_at and (parent := came_down_with(comment)):
            # Sent back to the queue alone, its comment's Undo would no longer bring it back.
            extra_context = {**(extra_context or {}), "came_down_with": parent}
        elif moderator and not comment.withdrawn_at:
            # Decided (by mistake, say): it can wait in the queue again.
            requeue = reverse("admin:comments_comment_requeue", args=[comment.pk])
            extra_context = {**(extra_context or {}), "requeue": requeue, **pick_context(comment)}
            extra_context["decided_at"] = decision_moment(comment)
            mine = comment.taken_down_at and comment.taken_down_by_id == request.user.pk
            # Their own take-down: undone as a Reported card's is, up again as it was ("Back to
            # the queue" would leave it off the page, to be approved again). Not a reply's
            # while the comment it answers keeps it off the page: that one is put up first.
            if mine and not hangs_on_parent(comment):
                undo = reverse("admin:comments_comment_undo_take_down")
                extra_context["undo_take_down"] = undo
        kept = request.session.pop(KEPT_REASONS, {}).get(str(comment.pk) if comment else "", {})
        extra_context = {
            **(extra_context or {}),
            "open_reports": reports,
            "report_reasons": report_reasons(reports),
            "on_reports": on_reports,
            "kept_reason": kept.get("reason", ""),
            "kept_preset": kept.get("preset"),
            "moderation_actions": actions,
            "queue_filters": request.GET.get("_changelist_filters", ""),
            "seen_revision": comment.revision if actions else None,
            "presets": RejectionReason.objects.all() if actions else [],
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _next_waiting(self, request, comment, filters: str) -> int | None:
        """The waiting comment after this one in the list the moderator opened it from (its
        search and filters, oldest first), else the first of that list: one they skipped on
        purpose comes back only once they reach the end."""
        listing = copy(request)
        listing.GET = QueryDict(filters, mutable=True)
        for page_only in (PAGE_VAR, ALL_VAR, ERROR_FLAG):  # the list, whatever page it was on
            listing.GET.pop(page_only, None)
        try:
            # The stock change list's search and filters (not ours: no cards drawn).
            waiting = super().get_changelist_instance(listing).queryset
        except IncorrectLookupParameters:  # a filter that no longer applies: the whole queue
            waiting = Comment.objects.all()
        waiting = waiting.filter(withdrawn_at=None)
        if current_queue(listing) != "reported":
            # The Reported queue's comments wait for a decision on their reports, published
            # or not (its filter keeps those with open reports); the others, for a decision.
            waiting = waiting.filter(status=Comment.Status.PENDING)
        waiting = waiting.exclude(pk=comment.pk).order_by("created_at", "pk")
        later = Q(created_at__gt=comment.created_at) | Q(
            created_at=comment.created_at, pk__gt=comment.pk
        )
        found = waiting.filter(later).values_list("pk", flat=True).first()
        return found or waiting.values_list("pk", flat=True).first()
