"""Undo away from the queue's cards (whose script offers its own): the bulk actions' messages
("3 comments approved.", "1 comment taken down.") and a take-down's from a comment's page
carry an Undo button, and a comment's page offers it while its take-down stands, as a card
does. Undone, a decision waits in the queue again; a take-down, the comment is up again (or
hidden by its readers' reports again, if they had hidden it before it came down). A reply that
came down with the comment it answers comes back with that one, never alone."""

from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from comments.admin_dismiss_undo import dismissals_undone
from comments.admin_meanwhile import (
    DECIDED_AS,
    UNDONE_TO,
    not_undone,
    undone_text,
    waits_on_parent,
)
from comments.dismiss_undo import dismissed_in, undo_dismissals
from comments.models import Comment, Report
from comments.not_spam import undo_not_spam
from comments.posted_ids import posted_ids
from comments.report_undo import undo_take_downs
from comments.services import return_to_queue
from newsportal.wording import counted, were

UNDO_FIELD = "undo"
AS_SPAM_FIELD = "as-spam"
DISMISSED_FIELD = "dismissed"
TAKEN_DOWN = "taken-down"


def with_undo(request, text: str, pks, *, decided: str = TAKEN_DOWN, as_spam: str = "") -> str:
    """The message saying what was done, with its own small form: the messages are drawn
    outside the page's form, on whichever page comes next (the list, the next comment).
    `decided`: a take-down, or the status a bulk decision set (only that one is undone).
    `as_spam`: a "Not spam"'s, what they were in Spam (comments.not_spam.as_spam_token)."""
    view = "undo_take_down" if decided == TAKEN_DOWN else "undo_decisions"
    fields = [("decided", decided), *((UNDO_FIELD, pk) for pk in pks)]
    if as_spam:
        fields.append((AS_SPAM_FIELD, as_spam))
    return undo_form(request, text, view, fields)


def with_dismissal_undo(request, text: str, dismissed: str) -> str:
    """A bulk Dismiss's message with its Undo: `dismissed`, comments.dismiss_undo's token."""
    return undo_form(request, text, "undo_dismissals", [(DISMISSED_FIELD, dismissed)])


def undo_form(request, text: str, view: str, fields) -> str:
    return format_html(
        '{}<form method="post" action="{}" class="undo-form">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">{}'
        '<button type="submit" class="button">Undo</button></form>',
        text,
        reverse(f"admin:comments_comment_{view}"),
        get_token(request),
        format_html_join("", '<input type="hidden" name="{}" value="{}">', fields),
    )


def _undone_many(undone) -> str:
    """Several take-downs undone: how many are up, how many hidden by their reports again (they
    had hidden them before they came down). One query, however many."""
    statuses = Counter(
        Comment.objects.filter(pk__in=[c.pk for c in undone]).values_list("status", flat=True)
    )
    said = []
    for status, (one, many) in UNDONE_TO.items():
        if number := statuses[status]:
            which = str(number) if said else counted(number, "comment")
            said.append(f"{which} {one if number == 1 else many}")
    return f"Not taken down after all: {', '.join(said)}."


class UndoViews:
    """Mixed into CommentAdmin (which routes the URLs to these views) beside DecisionViews."""

    def _undoing(self, request) -> list[int]:
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        return posted_ids(request.POST.getlist(UNDO_FIELD))

    def undo_decisions_view(self, request):
        """A bulk decision's Undo: those of the comments still as this moderator decided them
        wait in the queue again, undecided; one decided again since by another stays theirs."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        pks = self._undoing(request)
        decided = request.POST.get("decided", "")
        if decided not in DECIDED_AS:
            self.message_user(request, "Nothing to undo: no decision named.", messages.ERROR)
            return HttpResponseRedirect(self._back(request))
        if as_spam := request.POST.get(AS_SPAM_FIELD):  # a "Not spam": back to Spam
            back = undo_not_spam(pks, by=request.user, token=as_spam)
            where = "back in Spam"
        else:
            chosen = Comment.objects.filter(pk__in=pks)
            back = return_to_queue(chosen, by=request.user, undoing=decided)
            where = "back in the queue, undecided"
        if back:
            self.message_user(
                request, f"Undone: {counted(back, 'comment')} {where}.", messages.SUCCESS
            )
        if len(set(pks)) > back:
            text = (
                f"{counted(len(set(pks)) - back, 'comment')} {were(len(set(pks)) - back)} "
                "decided again, put back or deleted since your decision: "
                + ("left as it is." if len(set(pks)) - back == 1 else "left as they are.")
            )
            self.message_user(request, text, messages.WARNING)
        return HttpResponseRedirect(self._back(request))

    def undo_take_down_view(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        pks = self._undoing(request)
        comments = list(Comment.objects.filter(pk__in=pks).order_by("pk"))
        put_back = set(undo_take_downs(comments, by=request.user))
        undone = [c for c in comments if c.pk in put_back]
        if len(undone) == 1:
            text = undone_text(undone[0], outcome=Report.Outcome.TAKEN_DOWN)
            self.message_user(request, text, messages.SUCCESS)
        elif undone:
            self.message_user(request, _undone_many(undone), messages.SUCCESS)
        for comment in [c for c in comments if c not in undone][:5]:
            comment.refresh_from_db()
            why, parent = waits_on_parent(comment, by=request.user)
            if why:
                page = reverse("admin:comments_comment_change", args=[parent.pk])
                text = format_html(
                    '{} (<a href="{}">the comment by {}</a>).', why, page, parent.name
                )
            elif comment.status == Comment.Status.APPROVED and not comment.taken_down_at:
                # Pressed twice, or put back up by another moderator: up is what Undo wanted.
                text = f"The comment by {comment.name} is up already: nothing to undo."
            else:
                text = not_undone(comment, by=request.user)
            self.message_user(request, text, messages.WARNING)
        gone = len(set(pks)) - len(comments)
        if gone:
            text = f"{counted(gone, 'comment')} {were(gone)} deleted meanwhile: nothing to undo."
            self.message_user(request, text, messages.WARNING)
        return HttpResponseRedirect(self._back(request))  # DecisionViews: where it came from

    def undo_dismissals_view(self, request):
        """A bulk Dismiss's Undo: the reports it closed open again, as it left them; one
        answered or decided again since by another stays theirs, and is named."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self._undoing(request)  # a moderator's, or refused
        dismissed = dismissed_in(request.POST.get(DISMISSED_FIELD, ""))
        if not dismissed:
            self.message_user(request, "Nothing to undo: no dismissal named.", messages.ERROR)
            return HttpResponseRedirect(self._back(request))
        undone = undo_dismissals(dismissed, by=request.user)
        for level, text in dismissals_undone(undone, dismissed, by=request.user):
            self.message_user(request, text, level)
        return HttpResponseRedirect(self._back(request))
