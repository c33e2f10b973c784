"""Undo of a take-down or a dismissal: a moderator's own Take down (from the Reported queue, the
Approved list's bulk action or a comment's page) or Dismiss put back as it stood, as
comments.services.return_to_queue does for the pending queue's decisions."""

from collections import Counter

from django.db import transaction
from django.db.models import Max, Q

from comments.audit import record
from comments.mail import drop_queued
from comments.models import Comment, Report
from comments.notifications import notify_commenters
from comments.services import REPLY_TAKEN_DOWN, _locked, move_approved_counts


def hangs_on_parent(comment: Comment) -> Comment | None:
    """The comment a taken-down reply hangs on, while that one keeps it off the page: taken down
    with it, the reply comes back with it (that comment's Undo), and under a comment not up it
    could not show. Put up alone, it would be "published" in its writer's mail, seen nowhere."""
    down = comment.status == Comment.Status.REJECTED and comment.taken_down_at
    if not comment.parent_id or not down or comment.withdrawn_at:
        return None
    parent = Comment.objects.only("pk", "name", "status").get(pk=comment.parent_id)
    if comment.rejection_reason == REPLY_TAKEN_DOWN or parent.status != Comment.Status.APPROVED:
        return parent
    return None


def came_down_with(comment: Comment) -> Comment | None:
    """The comment this reply came down with, while that one is down: the reply comes back with
    it (its Undo, or its "Back to the queue"), never on its own."""
    if comment.rejection_reason != REPLY_TAKEN_DOWN:
        return None
    return hangs_on_parent(comment)


def undo_report_outcome(*, comment: Comment, by, outcome: str) -> bool:
    """Undo this moderator's Take down or Dismiss on a reported comment (the Reported queue's
    Undo): the comment stands as it did, its reports open again. Taken down: up again with the
    replies that came down with it (hidden by its reports: back in the queue, hidden). Dismissed
    when its reports hid it: hidden again. Only while that decision is the last one made on
    it; one made since by another stands. Logged; the counts move and the pages follow.

    Mail: one about the decision still waiting is dropped (as its writer sees it, nothing
    changed); one about a take-down sent already is followed by the usual one: it is up."""
    if outcome not in Report.Outcome.values:
        raise ValueError(f"not a report's outcome: {outcome!r}")
    down = outcome == Report.Outcome.TAKEN_DOWN
    with transaction.atomic():
        # A reply's parent too: its status, read below, cannot change before this commits.
        family = Q(pk=comment.pk) | Q(parent=comment) | Q(pk=comment.parent_id)
        thread = [c.pk for c in _locked(Comment.objects.filter(family))]
        row = Comment.objects.get(pk=comment.pk)
        ours = Report.objects.filter(resolved_by=by, outcome=outcome)
        if down:
            # Reported or not (the Approved list's take-down closes no report): its reports,
            # the comment and its replies all carry the take-down's one time.
            when = row.taken_down_at if row.taken_down_by_id == by.pk else None
        else:
            when = ours.filter(comment=row).aggregate(last=Max("resolved_at"))["last"]
        if when is None or row.withdrawn_at or row.reports.filter(resolved_at__gt=when).exists():
            return False
        if down and hangs_on_parent(row):
            return False
        if row.status != (Comment.Status.REJECTED if down else Comment.Status.APPROVED):
            return False
        # Decided by the Take down or Dismiss itself (decide() names it): its reports had hid it.
        hidden = row.moderated_by_id == by.pk and row.moderated_at is not None
        hidden = hidden and (
            row.moderated_at == row.taken_down_at if down else row.moderated_at >= when
        )
        counted = Comment.objects.counted().filter(pk__in=thread)
        changes = Counter()
        changes.subtract(counted.values_list("article_id", flat=True))
        replies = []
        if down:
            replies = Comment.objects.filter(
                parent=row, taken_down_by=by, taken_down_at=when, rejection_reason=REPLY_TAKEN_DOWN
            )
            replies = list(replies.filter(status=Comment.Status.REJECTED).only("pk", "name"))
            Comment.objects.filter(pk__in=[r.pk for r in replies]).mark_put_back()
        this = Comment.objects.filter(pk=row.pk)
        if hidden:
            this.mark_undecided()
        elif down:
            this.mark_put_back()
        about = [row, *replies]
        reopened = ours.filter(comment__in=about, resolved_at=when)
        reopened = reopened.update(resolved_at=None, resolved_by=None, outcome="")
        changes.update(counted.values_list("article_id", flat=True))
        move_approved_counts(changes)
        words = "hidden by its reports again" if hidden else "up again" if down else "still up"
        undone = "Take-down" if down else "Dismissal"
        reports = "1 report" if reopened == 1 else f"{reopened} reports"
        reports = f", {reports} open again" if reopened or not down else ""
        record(by, [row], f"{undone} undone: {words}{reports}")
        record(by, replies, "Put back with the comment it answers")
        for mailed in about if down or hidden else []:
            # A mail not sent yet never goes; told it came down, its writer hears it is up (a
            # reply hanging on a hidden comment is not: mailed again when that is decided).
            if not drop_queued("decision", mailed.pk) and down and not hidden:
                notify_commenters([mailed.pk])
    return True


def undo_take_down(*, comment: Comment, by) -> bool:
    """Undo this moderator's take-down, however it was made (a Reported card, the Approved
    list's bulk action, a comment's page): the comment is up again with the replies that came
    down with it, and any reports the take-down closed are open again."""
    return undo_report_outcome(comment=comment, by=by, outcome=Report.Outcome.TAKEN_DOWN)
