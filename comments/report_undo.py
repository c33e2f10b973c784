"""Undo of a take-down or a dismissal: a moderator's own Take down (from the Reported queue, the
Approved list's bulk action or a comment's page) or Dismiss put back as it stood, as
comments.services.return_to_queue does for the pending queue's decisions."""

from collections import Counter, defaultdict

from django.db import transaction
from django.db.models import Max, Q

from comments.audit import record
from comments.emptied import EMPTIED
from comments.mail import drop_queued, drop_queued_of
from comments.models import Comment, Report
from comments.notifications import notify_commenters
from comments.services import REPLY_TAKEN_DOWN, move_approved_counts

# How the admin log begins an undone take-down (what another moderator's page is told).
TAKE_DOWN_UNDONE = "Take-down undone"


def hangs_on_parent(comment: Comment) -> Comment | None:
    """The comment a taken-down reply hangs on, while that one keeps it off the page: taken down
    with it, the reply comes back with it (that comment's Undo), and under a comment not up it
    could not show. Put up alone, it would be "published" in its writer's mail, seen nowhere."""
    down = comment.status == Comment.Status.REJECTED and comment.taken_down_at
    if not comment.parent_id or not down or comment.withdrawn_at:
        return None
    parent = Comment.objects.only("pk", "name", "status", "withdrawn_at").get(pk=comment.parent_id)
    if parent.status != Comment.Status.APPROVED:
        return parent
    # A comment its author deleted stays up, in its place, for its replies: "Take down
    # selected" on it took down its replies alone, and they come back alone (their Undo).
    if comment.rejection_reason == REPLY_TAKEN_DOWN and not parent.withdrawn_at:
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
    Undo): the comment stands as it did, its reports open again (undo_take_downs, and
    undo_dismissal). Only while that decision is the last one made on it; one made since by
    another stands."""
    if outcome not in Report.Outcome.values:
        raise ValueError(f"not a report's outcome: {outcome!r}")
    if outcome == Report.Outcome.TAKEN_DOWN:
        return bool(undo_take_downs([comment], by=by))
    return undo_dismissal(comment=comment, by=by)


def undo_dismissal(*, comment: Comment, by, when=None) -> bool:
    """Its reports open again; dismissed when they had hidden it: hidden again. Logged; the
    counts move and the pages follow. A mail about the decision still waiting is dropped (as
    its writer sees it, nothing changed). `when`: the Dismiss undone, by the moment it closed
    the reports (a bulk Dismiss's Undo: comments.dismiss_undo); else `by`'s last on it. Only
    while that is the last answer to its reports and the comment is up."""
    outcome = Report.Outcome.DISMISSED
    with transaction.atomic():
        # A reply's parent too: its status cannot change before this commits.
        family = Q(pk=comment.pk) | Q(parent=comment) | Q(pk=comment.parent_id)
        Comment.objects.filter(family).lock_rows()
        row = Comment.objects.get(pk=comment.pk)
        ours = Report.objects.filter(resolved_by=by, outcome=outcome)
        if when is None:
            when = ours.filter(comment=row).aggregate(last=Max("resolved_at"))["last"]
        elif not ours.filter(comment=row, resolved_at=when).exists():
            return False  # undone already (its reports open), or never ours
        if when is None or row.withdrawn_at or row.reports.filter(resolved_at__gt=when).exists():
            return False
        if row.status != Comment.Status.APPROVED:
            return False
        # Decided by the Dismiss itself (decide() names it): its reports had hid it.
        hidden = row.moderated_by_id == by.pk and row.moderated_at is not None
        hidden = hidden and row.moderated_at >= when
        # By the filter: a reply sent while the locks waited is counted (services.return_to_queue).
        counted = Comment.objects.counted().filter(family)
        changes = Counter()
        changes.subtract(counted.values_list("article_id", flat=True))
        if hidden:
            Comment.objects.filter(pk=row.pk).mark_undecided()
        reopened = ours.filter(comment=row, resolved_at=when)
        reopened = reopened.update(resolved_at=None, resolved_by=None, outcome="")
        changes.update(counted.values_list("article_id", flat=True))
        move_approved_counts(changes)
        words = "hidden by its reports again" if hidden else "still up"
        reports = "1 report" if reopened == 1 else f"{reopened} reports"
        record(by, [row], f"Dismissal undone: {words}, {reports} open again")
        if hidden:
            drop_queued("decision", row.pk)
    return True


def undo_take_downs(comments, *, by) -> list[int]:
    """Undo this moderator's take-downs, however they were made (a Reported card, the Approved
    list's bulk action, a comment's page): each comment is up again with the replies that came
    down with it (hidden by its reports before: back in the queue, hidden), and the reports the
    take-down closed are open again. Only while the take-down is the last decision on it (a
    report decided since by another stands), and never a reply alone (hangs_on_parent).
    Returns the ids of the comments put back.

    A fixed number of queries for any number of comments, the mail's too: one about the
    take-down still waiting is dropped (as its writer sees it, nothing changed); one sent
    already is followed by the usual one: it is up."""
    pks = [c.pk for c in comments]
    parents = [c.parent_id for c in comments if c.parent_id]
    with transaction.atomic():
        # The parents too: their status, read below, cannot change before this commits.
        family = Q(pk__in=pks) | Q(parent__in=pks) | Q(pk__in=parents)
        Comment.objects.filter(family).lock_rows()
        rows = Comment.objects.filter(
            pk__in=pks,
            status=Comment.Status.REJECTED,
            taken_down_by=by,
            taken_down_at__isnull=False,
            withdrawn_at=None,
        )
        # Emptied by the prune since: up again, it would be an empty comment on the site.
        rows = list(rows.exclude(EMPTIED).order_by("pk"))
        later = dict(
            Report.objects.filter(comment__in=rows)
            .values("comment_id")
            .annotate(last=Max("resolved_at"))
            .values_list("comment_id", "last")
        )
        rows = [r for r in rows if not later.get(r.pk) or later[r.pk] <= r.taken_down_at]
        rows = _not_hanging(rows, by=by)
        if not rows:
            return []
        when = {row.pk: row.taken_down_at for row in rows}
        hidden = {row.pk for row in rows if _was_hidden(row, by=by)}
        counted = Comment.objects.counted().filter(family)
        changes = Counter()
        changes.subtract(counted.values_list("article_id", flat=True))
        replies = Comment.objects.filter(
            parent__in=rows,
            taken_down_by=by,
            rejection_reason=REPLY_TAKEN_DOWN,
            status=Comment.Status.REJECTED,
        )
        replies = [
            r
            for r in replies.only("pk", "name", "parent_id", "taken_down_at", "notify_on_decision")
            if r.taken_down_at == when[r.parent_id]
        ]
        up = [r.pk for r in replies] + [pk for pk in when if pk not in hidden]
        Comment.objects.filter(pk__in=up).mark_put_back()
        Comment.objects.filter(pk__in=hidden).mark_undecided()
        # Each comment's reports and its replies', closed by its take-down (at its time).
        about = {row.pk: row.pk for row in rows} | {r.pk: r.parent_id for r in replies}
        closed_then = Q(pk__in=[])
        for pk, at in when.items():
            closed_then |= Q(comment__in=[c for c, of in about.items() if of == pk], resolved_at=at)
        ours = Report.objects.filter(resolved_by=by, outcome=Report.Outcome.TAKEN_DOWN)
        reopened = list(ours.filter(closed_then).values_list("pk", "comment_id"))
        Report.objects.filter(pk__in=[pk for pk, _ in reopened]).update(
            resolved_at=None, resolved_by=None, outcome=""
        )
        changes.update(counted.values_list("article_id", flat=True))
        move_approved_counts(changes)
        _log_undone(rows, hidden, Counter(about[c] for _, c in reopened), by=by)
        record(by, replies, "Put back with the comment it answers")
        # A mail not sent yet never goes; told it came down, its writer hears it is up (a
        # reply hanging on a hidden comment is not: mailed again when that is decided). Only
        # a writer who asks to hear of decisions has one (comments.letters asks it again).
        asked = [c.pk for c in [*rows, *replies] if c.notify_on_decision]
        dropped = drop_queued_of("decision", *asked)  # two queries for them all
        told = [pk for pk in asked if pk not in dropped]
        notify_commenters([pk for pk in told if about[pk] not in hidden])
    return [row.pk for row in rows]


def _was_hidden(row: Comment, *, by) -> bool:
    """Decided by the Take down itself (decide() names it): its reports had hid it."""
    return row.moderated_by_id == by.pk and row.moderated_at == row.taken_down_at


def _not_hanging(rows: list[Comment], *, by) -> list[Comment]:
    """The rows hangs_on_parent would let up: a reply taken down with the comment it answers,
    or under one not up, stays down (one query for all their parents). One under a comment this
    same Undo puts up (the two ticked and taken down together) goes up with it; one under a
    comment its author deleted (up, in its place) goes up alone, as it came down."""
    asked = [r.parent_id for r in rows if r.parent_id]
    up = {r.pk for r in rows if not r.parent_id and not _was_hidden(r, by=by)}
    kept = set()  # the placeholders
    if asked:
        approved = Comment.objects.filter(pk__in=asked, status=Comment.Status.APPROVED)
        for pk, withdrawn_at in approved.values_list("pk", "withdrawn_at"):
            (kept if withdrawn_at else up).add(pk)
    return [
        r
        for r in rows
        if not r.parent_id
        or r.parent_id in kept
        or (r.rejection_reason != REPLY_TAKEN_DOWN and r.parent_id in up)
    ]


def _log_undone(rows, hidden, reopened: Counter, *, by) -> None:
    """One log line per comment put back, written once for all those that read the same."""
    said = defaultdict(list)
    for row in rows:
        words = "hidden by its reports again" if row.pk in hidden else "up again"
        n = reopened[row.pk]
        reports = f", {'1 report' if n == 1 else f'{n} reports'} open again" if n else ""
        said[f"{TAKE_DOWN_UNDONE}: {words}{reports}"].append(row)
    for message, logged in said.items():
        record(by, logged, message)
