"""“Back to the queue”: a decision made by mistake undone, from a comment's page, a queue card's
Undo (only while that moderator's decision stands) or the lists' bulk action. The comment waits
again, undecided (comments.services.return_to_queue)."""

from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.utils import timezone

from comments.admin_meanwhile import (
    DECIDED_AS,
    NAMED,
    changed_meanwhile,
    not_undone,
    undo_report,
)
from comments.admin_posted import (
    posted_decision_moments,
    posted_status,
    seen_revisions,
    shown_statuses,
)
from comments.admin_words import came_down_text, unseen_text
from comments.emptied import EMPTIED, EMPTIED_TEXT, emptied_text, is_emptied
from comments.models import Comment, Report
from comments.posted_ids import ticked_ids
from comments.report_answers import came_down_with_parent
from comments.report_undo import came_down_with
from comments.services import return_to_queue
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
        if is_emptied(comment):  # refused by return_to_queue too, the prune run meanwhile
            return self._answer(request, comment, None, EMPTIED_TEXT, messages.ERROR)
        # Where its page showed it, decided when: put back up (its take-down undone) or decided
        # again by another meanwhile, it stays as they left it (read under its row lock).
        was = posted_status(request.POST, comment.pk)
        shown = {comment.pk: was} if was else None
        at = posted_decision_moments(request.POST, [comment.pk])
        if return_to_queue([comment], by=request.user, undoing=undoing, shown=shown, decided_at=at):
            text = f"The comment by {comment.name} is back in the queue, undecided."
            return self._answer(request, comment, "requeued", text)
        text = "That comment was not decided (any more)."
        if undoing:
            text = not_undone(comment, by=request.user)
        elif was and _moved({comment.pk: was}, at):
            text = changed_meanwhile(comment, by=request.user)
        return self._answer(request, comment, None, text, messages.WARNING)

    @admin.action(
        description="Put selected decided comments back in the queue", permissions=["moderate"]
    )
    def requeue_selected(self, request, queryset):
        # Only the comments the page showed ("Select all" reaches others, never read), where
        # it showed them: one that left the list since (its take-down undone, decided again
        # by another) is read too, under its row lock, and said.
        seen = seen_revisions(request.POST)
        ticked = ticked_ids(request.POST)
        listed = set(queryset.filter(pk__in=list(seen)).values_list("pk", flat=True))
        was = {pk: s for pk, s in shown_statuses(request, ticked & set(seen)).items() if s}
        at = posted_decision_moments(request.POST, list(was))
        shown = Comment.objects.filter(pk__in=listed | set(was))
        started = timezone.now()
        back = return_to_queue(shown, by=request.user, shown=was, decided_at=at)
        if back:
            self.message_user(
                request, f"{counted(back, 'comment')} back in the queue.", messages.SUCCESS
            )
        left = shown.filter(came_down_with_parent(), withdrawn_at=None).count()
        emptied = shown.filter(EMPTIED).count()
        if emptied:
            self.message_user(request, emptied_text(emptied), messages.ERROR)
        changed = _changed(was, at, by=request.user, since=started)
        for comment in changed[:NAMED]:
            self.message_user(
                request, changed_meanwhile(comment, by=request.user), messages.WARNING
            )
        if left:
            self.message_user(request, came_down_text(left), messages.WARNING)
        elif not back and not changed and not emptied:
            self.message_user(request, "None of those comments was decided.", messages.WARNING)
        unseen = queryset.exclude(pk__in=listed).count()
        if unseen:
            self.message_user(request, unseen_text(unseen), messages.WARNING)


def _changed(was: dict[int, str], at: dict, *, by, since) -> list[Comment]:
    """The comments standing elsewhere than the page showed them, or decided again since, that
    this moderator did not put back in the queue: another moderator (or an Undo) moved them
    meanwhile. A reply that came down with its comment and is up again because this action put
    that comment back in the queue was moved by this moderator: not said."""
    mine = LogEntry.objects.filter(
        user=by,
        object_id__in=[str(pk) for pk in was],
        action_time__gte=since,
        change_message="Back to the queue",
    ).values_list("object_id", flat=True)
    mine = [int(pk) for pk in mine]
    moved = _moved(was, at)
    return [c for c in moved if c.pk not in mine and c.parent_id not in mine]


def _moved(was: dict[int, str], at: dict) -> list[Comment]:
    """Those of the comments a page showed (`was`: {pk: status}; `at`: {pk: when decided}) that
    stand elsewhere now, or were decided again since."""
    rows = Comment.objects.filter(pk__in=list(was)).order_by("pk")
    rows = rows.only("pk", "name", "status", "parent_id", "taken_down_at", "moderated_at")
    return [
        c
        for c in rows
        if c.status != was[c.pk] or (c.pk in at and at[c.pk] != (c.taken_down_at or c.moderated_at))
    ]
