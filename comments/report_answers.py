"""What a moderator's decision does to readers' reports of a comment, and to the replies that
cannot stand without it: comments.services decides, these answer for it."""

from comments.audit import record
from comments.models import Comment, Report
from comments.notifications import notify_commenters

# The reason a reply is given when the comment it answers comes down (it is told to its author).
REPLY_TAKEN_DOWN = "The comment it answered was taken down."


def answer_reports(ours, *, status: str, by, now, reason: str) -> None:
    """A decided comment that readers' reports were open on (hidden by them, or edited after
    them): the decision answers the reports too, so it leaves the Reported queue and a new
    report starts counting afresh. Approved: the reports were wrong, as Dismiss says (its
    published replies came back with it, in decide). Rejected or spam: they were right, as Take down
    says: its published replies, off the page and the count since it was hidden, stay off."""
    reports = Report.objects.open().filter(comment__in=ours)
    reported = list(reports.values_list("comment_id", flat=True).distinct())
    if not reported:
        return
    outcome = Report.Outcome.DISMISSED
    if status != Comment.Status.APPROVED:
        outcome = Report.Outcome.TAKEN_DOWN
        # Readers reported it on the page: rejected now, it was published and is taken down
        # (its writer's status page says so).
        rejected = Comment.objects.filter(pk__in=reported, status=Comment.Status.REJECTED)
        rejected.update(taken_down_by=by, taken_down_at=now)
        take_down_replies(Comment.objects.approved().filter(parent_id__in=reported), by=by, now=now)
    closed = reports.close(by=by, outcome=outcome, now=now)
    words = "dismissed" if outcome == Report.Outcome.DISMISSED else "upheld"
    record(
        by,
        Comment.objects.filter(pk__in=reported).only("pk", "name"),
        f"{closed} report{'' if closed == 1 else 's'} {words} by the decision",
    )


def take_down_replies(replies, *, by, now) -> int:
    """Published replies that cannot stand without the comment they answer come down with it,
    saying so in their own words (the comment's reason is not about them), and logged."""
    ids = list(replies.values_list("pk", flat=True))
    down = Comment.objects.filter(pk__in=ids)
    taken = down.mark_taken_down(by=by, reason=REPLY_TAKEN_DOWN, now=now)
    if taken:
        record(by, down.only("pk", "name"), f"Taken down: {REPLY_TAKEN_DOWN}")
        # Their writers were told they were published; told now they are not.
        notify_commenters(ids)
    return taken
