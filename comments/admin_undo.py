"""Undo of a take-down made away from the Reported queue's cards (whose script offers its own):
the Approved list's "Take down selected" and a comment's page say what came down with an Undo
button beside it, and a comment's page offers it while the take-down stands, as a card does."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from comments.admin_meanwhile import not_undone
from comments.models import Comment
from comments.report_undo import undo_take_down

UNDO_FIELD = "undo-take-down"


def with_undo(request, text: str, pks) -> str:
    """The message saying what came down, with its own small form: the messages are drawn
    outside the page's form, on whichever page comes next (the list, the next comment)."""
    return format_html(
        '{} <form method="post" action="{}" class="undo-take-down">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">{}'
        '<button type="submit" class="button">Undo</button></form>',
        text,
        reverse("admin:comments_comment_undo_take_down"),
        get_token(request),
        format_html_join(
            "", '<input type="hidden" name="' + UNDO_FIELD + '" value="{}">', ((pk,) for pk in pks)
        ),
    )


class UndoTakeDownView:
    """Mixed into CommentAdmin (which routes the URL to undo_take_down_view) beside
    DecisionViews."""

    def undo_take_down_view(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        pks = [int(pk) for pk in request.POST.getlist(UNDO_FIELD) if pk.isdecimal()]
        comments = list(Comment.objects.filter(pk__in=pks).order_by("pk"))
        undone = [c for c in comments if undo_take_down(comment=c, by=request.user)]
        if len(undone) == 1:
            reported = undone[0].reports.open().exists()
            also = ", its reports open: decide again" if reported else ""
            text = f"Not taken down after all. The comment by {undone[0].name} is up again{also}."
            self.message_user(request, text, messages.SUCCESS)
        elif undone:
            text = f"Not taken down after all: {len(undone)} comments are up again."
            self.message_user(request, text, messages.SUCCESS)
        for comment in [c for c in comments if c not in undone][:5]:
            comment.refresh_from_db()
            text = not_undone(comment, by=request.user)
            if comment.status == Comment.Status.APPROVED and not comment.taken_down_at:
                # Pressed twice, or put back up by another moderator: up is what Undo wanted.
                text = f"The comment by {comment.name} is up already: nothing to undo."
            self.message_user(request, text, messages.WARNING)
        gone = len(set(pks)) - len(comments)
        if gone:
            text = f"{gone} comment(s) were deleted meanwhile: nothing to undo."
            self.message_user(request, text, messages.WARNING)
        return HttpResponseRedirect(self._back(request))  # DecisionViews: where it came from
