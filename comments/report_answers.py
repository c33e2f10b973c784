"""What a moderator's decision does to readers' reports of a comment, and to the replies that
cannot stand without it: comments.services decides, these answer for it."""

from collections import Counter, defaultdict

from django.db.models import Q

from comments.audit import record
from comments.models import Comment, Report
from comments.notifications import notify_commenters
from comments.querysets import REMOVED

# The reason a reply is given when the comment it answers comes down (it is told to its author).
REPLY_TAKEN_DOWN = "The comment it answered was taken down."
# And when "Take down selected" on a comment its author deleted (a placeholder, which stays up in
# its place) takes down its replies: that comment was not taken down.
REPLY_UNDER_DELETED = "The replies to a comment its author deleted were taken down."

# Under a comment its author deleted (up, in its place for its replies).
_UNDER_A_PLACEHOLDER = Q(parent__status="approved", parent__withdrawn_at__isnull=False)


def came_down_with_parent() -> Q:
    """Replies taken down because the comment they answer came down: they come back with it,
    never on their own (comments.report_undo.hangs_on_parent). Not those under a placeholder,
    taken down by "Take down selected" on it (stored with REPLY_TAKEN_DOWN before
    REPLY_UNDER_DELETED was): they came down, and come back, on their own."""
    return Q(rejection_reason=REPLY_TAKEN_DOWN, parent__isnull=False) & ~_UNDER_A_PLACEHOLDER


def reason_told(comment: Comment) -> str:
    """Its rejection reason as its writer is told it: a reply taken down under a placeholder
    before REPLY_UNDER_DELETED was says REPLY_UNDER_DELETED (the comment was not taken down)."""
    if comment.rejection_reason == REPLY_TAKEN_DOWN and comment.parent_id:
        parent = comment.parent
        if parent.status == Comment.Status.APPROVED and parent.withdrawn_at:
            return REPLY_UNDER_DELETED
    return comment.rejection_reason


def answer_reports(ours, *, status: str, by, now, reason: str) -> None:
    """A decided comment that readers' reports were open on (hidden by them, or edited after
    them): the decision answers the reports too, so it leaves the Reported queue and a new
    report starts counting afresh. Approved: the reports were wrong, as Dismiss says (its
    published replies came back with it, in decide). Rejected or spam: they were right, as Take down
    says: its published replies, off the page and the count since it was hidden, stay off."""
    reports = Report.objects.open().filter(comment__in=ours)
    # Each comment's own count: a bulk decision closes the reports of them all at once. (No
    # report comes in meanwhile: readers report only what is published, these were not.)
    open_on = Counter(reports.values_list("comment_id", flat=True))
    reported = list(open_on)
    if not reported:
        return
    outcome = Report.Outcome.DISMISSED
    if status != Comment.Status.APPROVED:
        outcome = Report.Outcome.TAKEN_DOWN
        # Readers reported it on the page: rejected or spam now, it was published and is taken
        # down (its writer's status page says so). Spam too: its replies come down below as for
        # Reject, so a reply still waiting under it must not be published alone under its
        # placeholder (querysets.PUBLISHABLE_UNDER reads taken_down_at).
        removed = Comment.objects.filter(pk__in=reported, status__in=REMOVED)
        removed.update(taken_down_by=by, taken_down_at=now)
        take_down_replies(Comment.objects.approved().filter(parent_id__in=reported), by=by, now=now)
    reports.close(by=by, outcome=outcome, now=now)
    words = "dismissed" if outcome == Report.Outcome.DISMISSED else "upheld"
    said = defaultdict(list)  # one log line per comment, written once for those that read alike
    for comment in Comment.objects.filter(pk__in=reported).only("pk", "name"):
        n = open_on[comment.pk]
        said[f"{n} report{'' if n == 1 else 's'} {words} by the decision"].append(comment)
    for message, logged in said.items():
        record(by, logged, message)


def take_down_replies(replies, *, by, now, reason: str = REPLY_TAKEN_DOWN) -> int:
    """Published replies that cannot stand without the comment they answer come down with it,
    saying so in their own words (the comment's reason is not about them), and logged.
    `reason`: REPLY_UNDER_DELETED for the replies to a placeholder (which stays up)."""
    ids = list(replies.values_list("pk", flat=True))
    down = Comment.objects.filter(pk__in=ids)
    taken = down.mark_taken_down(by=by, reason=reason, now=now)
    if taken:
        record(by, down.only("pk", "name"), f"Taken down: {reason}")
        # Their writers were told they were published; told now they are not.
        notify_commenters(ids)
    return taken
