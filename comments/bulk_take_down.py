""" "Take down selected": the ticked comments read under their row locks, each taken down as its
card's Take down takes it, or left as another moderator, its author or its readers left it
meanwhile, in one transaction (a failure midway leaves every one as it was); and what became
of each, for the moderator's message."""

from typing import NamedTuple

from django.db import transaction
from django.db.models import Q

from comments.audit import record
from comments.desk import hidden_by_reports
from comments.models import Comment, Report
from comments.services import decide, take_down
from comments.typed_reasons import clean_reason

APPROVED, PENDING = Comment.Status.APPROVED, Comment.Status.PENDING
DOWN = [Comment.Status.REJECTED, Comment.Status.SPAM]


class TakeDown(NamedTuple):
    down: int  # came down: the ticked comments, and a published one's published replies
    hidden_since: list[Comment]  # shown published, hidden by reports since: down all the same
    changed: list[Comment]  # left: published again, decided or put back by another meanwhile
    answered: list[int]  # of those, the Reported queue's whose reports another answered
    edited: list[int]  # left: its author changed the words since the page showed them
    not_published: int  # shown not published, and still not: nothing to take down
    gone: list[int]  # deleted meanwhile (by its author, or another moderator)


def take_down_ticked(
    shown: dict[int, str],
    *,
    by,
    reason: str = "",
    seen: dict[int, int],
    reported: bool = False,
    on_page=(),
) -> TakeDown:
    """Take down the comments `shown` ({pk: the status its page showed it in}) at the revision
    the moderator read (`seen`), read under their row locks with their replies, in pk order
    (as take_down): a report, an edit, a Dismiss or an Undo meanwhile waits, or has landed by
    the time the rows are read here.

    Hidden by readers' reports (their reports open), a comment is rejected as its card
    rejects it, its reports upheld and its hidden replies down for good (decide): one shown
    published that reports hid in the moment before is what the moderator meant to take down.
    Published, it comes down with its published replies (take_down), if it was shown
    published or its reports are open (hidden, put back up by another's Dismiss and reported
    again). Left as it is: one whose reports another moderator dismissed since the page
    showed it hidden, or, in the Reported queue (`reported`), answered at all; one decided,
    taken down or put back in the queue by another; one edited since. Still reported and not
    ours to take down (down already, deleted by its author): its reports are closed. A reason
    refused (comments.typed_reasons; `on_page`, the comments the page showed): nothing done."""
    reason = clean_reason(reason, on_page=on_page)
    pks = list(shown)
    with transaction.atomic():
        Comment.objects.filter(Q(pk__in=pks) | Q(parent_id__in=pks)).lock_rows()
        rows = Comment.objects.filter(pk__in=pks).only(
            "pk", "name", "revision", "status", "held_because", "withdrawn_at"
        )
        rows = list(rows.order_by("pk"))
        still = Report.objects.open().filter(comment_id__in=pks)
        still = set(still.values_list("comment_id", flat=True))
        read = [row for row in rows if seen.get(row.pk) == row.revision]
        hidden, up, hidden_since, changed, not_published = [], [], [], [], 0
        for row in read:
            was, open_reports = shown[row.pk], row.pk in still
            if hidden_by_reports(row) and open_reports and not row.withdrawn_at:
                hidden.append(row)
                if was == APPROVED:
                    hidden_since.append(row)
            elif row.status == APPROVED and (open_reports or (was == APPROVED and not reported)):
                up.append(row.pk)  # a placeholder too: its published replies come down
            elif row.withdrawn_at:
                continue  # deleted by its author: gone
            elif row.status == was and not reported:
                not_published += 1
            else:
                changed.append(row)
        down = 0
        if hidden:
            rejected = Comment.Status.REJECTED
            down = decide(hidden, status=rejected, by=by, reason=reason, seen=seen).decided
        if up:
            down += take_down(Comment.objects.filter(pk__in=up), by=by, reason=reason, seen=seen)
        # Down already (deleted by its author, or taken down by another who left a report
        # made since open): its reports closed. One back in the queue waits there with them.
        closing = [row.pk for row in read if row.withdrawn_at or row.status in DOWN]
        left = Report.objects.open().filter(comment_id__in=closing)
        if closing := set(left.values_list("comment_id", flat=True)):
            left.close(by=by, outcome=Report.Outcome.TAKEN_DOWN)
            closed = Comment.objects.filter(pk__in=closing).only("pk", "name")
            record(by, closed, "Reports closed: the comment was already down")
    return TakeDown(
        down=down,
        hidden_since=hidden_since,
        changed=changed,
        answered=[row.pk for row in changed if reported and row.pk not in still],
        edited=[row.pk for row in rows if seen.get(row.pk, row.revision) != row.revision],
        not_published=not_published,
        gone=sorted(
            set(pks) - {row.pk for row in rows}
            | {row.pk for row in read if row.withdrawn_at and row.pk not in up}
        ),
    )
