"""“Back to the queue”: a decision made by mistake undone, from a comment's page, a queue card's
Undo (only while that moderator's decision stands) or the lists' bulk action. The comment waits
again, undecided (comments.services.return_to_queue)."""

from django.contrib import admin, messages

from comments.admin_meanwhile import DECIDED_AS, not_undone, undo_report
from comments.admin_posted import seen_revisions
from comments.admin_words import came_down_text, unseen_text
from comments.models import Comment, Report
from comments.report_undo import came_down_with
from comments.services import REPLY_TAKEN_DOWN, return_to_queue
from newsportal.wording import counted


class RequeueViews:
    """Mixed into CommentAdmin beside DecisionViews (whose _decidable and _answer these use)."""

    def requeue_view(self, request, object_id):
        comment = self._decidable(request, object_id)
        if not isinstance(comment, Comment):
            return comment
        # A queue card's Undo names the decision it undoes: never one made since by another.
        undoing = request.POST.get(f"decided-{comment.pk}")
        if undoing in Report.Outcome.values:  # a Reported card's Take down or Dismiss
            undone = undo_report(comment, by=request.user, outcome=undoing)
            return self._answer(request, comment, *undone)
        if undoing not in DECIDED_AS:
            undoing = None
        if parent := came_down_with(comment):
            text = (
                f"This reply came down with the comment it answers (the comment by "
                f"{parent.name}): it comes back with that comment, not on its own."
            )
            return self._answer(request, comment, None, text, messages.WARNING)
        if return_to_queue([comment], by=request.user, undoing=undoing):
            text = f"The comment by {comment.name} is back in the queue, undecided."
            return self._answer(request, comment, "requeued", text)
        text = "That comment was not decided (any more)."
        if undoing:
            text = not_undone(comment, by=request.user)
        return self._answer(request, comment, None, text, messages.WARNING)

    @admin.action(
        description="Put selected decided comments back in the queue", permissions=["moderate"]
    )
    def requeue_selected(self, request, queryset):
        # Only the comments the page showed ("Select all" reaches others, never read).
        shown = queryset.filter(pk__in=list(seen_revisions(request.POST)))
        back = return_to_queue(shown, by=request.user)
        if back:
            self.message_user(
                request, f"{counted(back, 'comment')} back in the queue.", messages.SUCCESS
            )
        left = shown.filter(rejection_reason=REPLY_TAKEN_DOWN, withdrawn_at=None).count()
        if left:
            self.message_user(request, came_down_text(left), messages.WARNING)
        elif not back:
            self.message_user(request, "None of those comments was decided.", messages.WARNING)
        unseen = queryset.exclude(pk__in=shown.values("pk")).count()
        if unseen:
            self.message_user(request, unseen_text(unseen), messages.WARNING)
