"""What other moderators did meanwhile to the comments on one moderator's screen: why a
queue card's Undo put nothing back."""

from django.contrib import messages
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, F, Q, Value, When

from comments.desk import hidden_by_reports
from comments.models import Comment, Report
from comments.report_undo import (
    TAKE_DOWN_UNDONE,
    came_down_with,
    hangs_on_parent,
    undo_report_outcome,
)

# What a card's decision is called, by the status it set.
DECIDED_AS = {
    Comment.Status.APPROVED: "approved",
    Comment.Status.REJECTED: "rejected",
    Comment.Status.SPAM: "marked as spam",
}
TAKEN_DOWN_AS = "taken down"


def not_undone(comment: Comment, *, by) -> str:
    """Why a card's Undo put nothing back: the comment was decided again, or put back, since
    this moderator's decision. Theirs stands: said, never overwritten unseen."""
    comment = Comment.objects.select_related("moderated_by", "taken_down_by").get(pk=comment.pk)
    if comment.withdrawn_at:
        return "Its author deleted that comment meanwhile: nothing to undo."
    if comment.status == Comment.Status.PENDING:
        return (
            f"The comment by {comment.name} is back in the queue already (put back by another "
            "moderator, or edited by its author): nothing to undo."
        )
    # A take-down keeps the approval's moderator: the one who took it down decided last.
    last = comment.taken_down_by if comment.taken_down_at else comment.moderated_by
    done = "taken down" if comment.taken_down_at else DECIDED_AS[comment.status]
    who = "the screen"
    if last:
        who = "you" if last == by else last.get_username()
    return (
        f"The comment by {comment.name} was decided again meanwhile: {done} by {who}. "
        "That decision stands: "
        "yours was not undone. To change it, open the comment and press “Back to the queue”."
    )


def waits_on_parent(comment: Comment, *, by) -> tuple[str, Comment] | tuple[None, None]:
    """Why a reply `by` took down cannot be put up alone, and the comment to put up instead.
    (Taken down by another since: not_undone says by whom.)"""
    if comment.taken_down_by_id != by.pk:
        return None, None
    if parent := came_down_with(comment):
        return (
            "This reply came down with the comment it answers: undo that comment's take-down",
            parent,
        )
    if parent := hangs_on_parent(comment):
        return "The comment this reply answers is not up: put that comment up first", parent
    return None, None


# Where an undone take-down or dismissal left a comment, by its status: (one, several).
UNDONE_TO = {
    Comment.Status.APPROVED: ("is up again", "are up again"),
    Comment.Status.PENDING: ("is hidden by its reports again", "are hidden by their reports again"),
}


def undone_text(comment: Comment, *, outcome: str) -> str:
    """What an undone Take down or Dismiss did, read afresh: a comment its reports had hidden
    before is hidden by them again, not up."""
    comment.refresh_from_db(fields=["status"])
    where, _ = UNDONE_TO[comment.status]
    done = "taken down" if outcome == Report.Outcome.TAKEN_DOWN else "dismissed"
    text = f"The comment by {comment.name} {where}."
    if comment.reports.open().exists():
        text = f"The comment by {comment.name} {where}, its reports open: decide again."
    return f"Not {done} after all. {text}"


def undo_report(comment: Comment, *, by, outcome: str) -> tuple[str | None, str, int]:
    """An Undo of this moderator's Take down (a Reported card's, or one made from the Approved
    list or a comment's page) or Dismiss: (the JSON outcome, the words, the message level)."""
    if undo_report_outcome(comment=comment, by=by, outcome=outcome):
        return "undone", undone_text(comment, outcome=outcome), messages.SUCCESS
    if outcome == Report.Outcome.TAKEN_DOWN:
        comment.refresh_from_db()
        why, parent = waits_on_parent(comment, by=by)
        if why:
            return None, f"{why} (the comment by {parent.name}).", messages.WARNING
    text = answered_by_another(comment, by=by) or not_undone(comment, by=by)
    return None, text, messages.WARNING


def answered_by_another(comment: Comment, *, by) -> str | None:
    """Why an Undo of a Take down or Dismiss put nothing back, when another moderator answered
    the comment's reports last (its reports upheld or dismissed since); else None."""
    last = comment.reports.exclude(resolved_at=None).order_by("-resolved_at", "-pk").first()
    if not last or last.resolved_by_id == by.pk:
        return None
    who = last.resolved_by.get_username() if last.resolved_by else "another moderator"
    done = "upheld" if last.outcome == Report.Outcome.TAKEN_DOWN else "dismissed"
    return (
        f"The reports on the comment by {comment.name} were {done} by {who} meanwhile. "
        "That decision stands: yours was not undone."
    )


def decided_by_others(pks, *, by, since) -> str:
    """Who decided which of these comments before this moderator, who started at `since`:
    "2 approved by ann · 1 taken down by bob" (one query), the words a bulk action lost to
    another's say, so that no one opens each comment's history to learn it. A take-down is
    told as one, by whoever took the comment down (it keeps its approval's moderator)."""
    down = Q(taken_down_at__isnull=False)
    mine = Q(taken_down_at__isnull=True, moderated_by=by, moderated_at__gte=since) | Q(
        taken_down_by=by, taken_down_at__gte=since
    )
    rows = (
        Comment.objects.filter(Q(moderated_by__isnull=False) | down, pk__in=pks)
        .exclude(status=Comment.Status.PENDING)
        .exclude(mine)
        .annotate(
            done=Case(When(down, then=Value(TAKEN_DOWN_AS)), default=F("status")),
            who=Case(
                When(down, then=F("taken_down_by__username")),
                default=F("moderated_by__username"),
            ),
        )
        .values("done", "who")
        .annotate(n=Count("pk"))
        .order_by("-n", "who", "done")
    )
    return " · ".join(
        f"{row['n']} {DECIDED_AS.get(row['done'], row['done'])} by "
        f"{row['who'] or 'another moderator'}"
        for row in rows
    )


def decided_meanwhile(pks, *, by) -> dict[str, str]:
    """What became of these comments, shown waiting on a moderator's screen, that wait no
    more: {id: "Decided meanwhile by ann: approved."}. One query, however many cards."""
    rows = Comment.objects.filter(pk__in=pks).values_list(
        "pk",
        "status",
        "withdrawn_at",
        "moderated_by_id",
        "moderated_by__username",
        "taken_down_at",
        "taken_down_by_id",
        "taken_down_by__username",
    )
    said = dict.fromkeys(pks, "Deleted meanwhile.")
    for pk, status, withdrawn_at, by_id, username, down_at, down_by_id, down_by in rows:
        del said[pk]
        if withdrawn_at:
            said[pk] = "Deleted meanwhile by its author."
        elif down_at:  # approved, then taken down: by whoever took it down
            who = "you, on another page" if down_by_id == by.pk else down_by or "another moderator"
            said[pk] = f"Decided meanwhile by {who}: {TAKEN_DOWN_AS}."
        elif status in DECIDED_AS:
            who = "you, on another page" if by_id == by.pk else username or "the screen"
            said[pk] = f"Decided meanwhile by {who}: {DECIDED_AS[status]}."
    return {str(pk): text for pk, text in said.items()}


def reports_decided_meanwhile(pks, *, by) -> dict[str, str]:
    """The Reported queue's cards whose reports were all dealt with since the page was drawn
    (by another moderator, or by this one on another page): {id: "Reports upheld meanwhile by
    ann: taken down."}. Two queries, however many cards."""
    still = set(
        Report.objects.open().filter(comment_id__in=pks).values_list("comment_id", flat=True)
    )
    closed = [pk for pk in pks if pk not in still]
    said = dict.fromkeys(closed, "Deleted meanwhile.")
    last = (
        Report.objects.filter(comment_id__in=closed)
        .exclude(resolved_at=None)
        .order_by("-resolved_at", "-pk")
        .values_list("comment_id", "outcome", "resolved_by_id", "resolved_by__username")
    )
    told = set()
    for pk, outcome, by_id, username in last:
        if pk in told:
            continue  # its last decision only
        told.add(pk)
        who = "you, on another page" if by_id == by.pk else username or "another moderator"
        if outcome == Report.Outcome.TAKEN_DOWN:
            said[pk] = f"Reports upheld meanwhile by {who}: taken down."
        else:
            said[pk] = f"Reports dismissed meanwhile by {who}."
    return {str(pk): text for pk, text in said.items()}


def reports_answered(comment: Comment) -> str:
    """What became of reports another moderator decided first, and who: their Take down or
    Dismiss stands, and this one, who meant the other, knows where to go from there."""
    last = (
        comment.reports.exclude(resolved_at=None)
        .select_related("resolved_by")
        .order_by("-resolved_at", "-pk")
        .first()
    )
    if last is None:
        return "Those reports had already been dealt with."
    who = last.resolved_by.get_username() if last.resolved_by else "another moderator"
    if last.outcome == Report.Outcome.TAKEN_DOWN:
        return f"Those reports had already been upheld by {who}: the comment was taken down."
    comment.refresh_from_db(fields=["status"])
    if comment.status != Comment.Status.APPROVED:
        return f"Those reports had already been dismissed by {who}."
    return (
        f"Those reports had already been dismissed by {who}: the comment stays up. To take it "
        "down all the same, tick it in the Approved list and choose “Take down selected "
        "published comments”."
    )


# How many ticked comments left as others left them meanwhile a bulk action names, a line each.
NAMED = 5


def changed_meanwhile(comment: Comment, *, by) -> str:
    """Why a bulk action (or "Back to the queue") left a comment as it is: what another
    moderator did to it since the page showed it (theirs stands), named with the comment and
    who. Four or five queries."""
    name = comment.name
    rows = Comment.objects.select_related("moderated_by", "taken_down_by")
    comment = rows.filter(pk=comment.pk).first()
    if comment is None:  # deleted since (its author, an erase): read after the action's commit
        return f"The comment by {name} was deleted meanwhile."
    last = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Comment), object_id=str(comment.pk)
    )
    last = last.select_related("user").order_by("-action_time", "-pk").first()
    if last and last.change_message.startswith(TAKE_DOWN_UNDONE) and comment.status in UNDONE_TO:
        who = _who(last.user, by=by, nobody="another moderator")
        where, _ = UNDONE_TO[comment.status]
        return (
            f"The take-down of the comment by {name} was undone by {who} meanwhile: it {where}, "
            "and stays so."
        )
    if hidden_by_reports(comment):
        return (
            f"The comment by {name} was hidden by readers’ reports meanwhile: it waits in the "
            "Reported queue."
        )
    if comment.status == Comment.Status.PENDING:
        return (
            f"The comment by {name} is back in the queue since (put back by another moderator, "
            "or edited by its author): it waits there."
        )
    if comment.status == Comment.Status.APPROVED:
        last = comment.reports.exclude(resolved_at=None).select_related("resolved_by")
        last = last.order_by("-resolved_at", "-pk").first()
        if last and last.outcome == Report.Outcome.DISMISSED and _left_it_up(comment, last):
            who = _who(last.resolved_by, by=by, nobody="another moderator")
            return (
                f"The reports on the comment by {name} were dismissed by {who} meanwhile: it "
                "stays up, as they left it."
            )
        who = _who(comment.moderated_by, by=by, nobody="the screen")
        return f"The comment by {name} was approved by {who} meanwhile: it stays up."
    if comment.taken_down_at:
        done, who = "taken down", _who(comment.taken_down_by, by=by, nobody="another moderator")
    else:
        done = DECIDED_AS[comment.status]
        who = _who(comment.moderated_by, by=by, nobody="the screen")
    return f"The comment by {name} had been {done} by {who} meanwhile: that decision stands."


def _left_it_up(comment: Comment, dismissal: Report) -> bool:
    """Whether this Dismiss is what left the comment up as it is: made since its approval (a
    Dismiss while it was up; an approval answering its reports, at the same moment), or the
    approval was the Dismiss's own (one that hid it closes its reports, then approves it: the
    same moderator, nothing logged between). An old Dismiss, before a take-down, "Back to the
    queue" and another's approval, is not what they did meanwhile."""
    made = comment.moderated_at
    if made is None or dismissal.resolved_at >= made:
        return True
    if dismissal.resolved_by_id is None or dismissal.resolved_by_id != comment.moderated_by_id:
        return False
    between = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Comment),
        object_id=str(comment.pk),
        action_time__gt=dismissal.resolved_at,
        action_time__lt=made,
    )
    return not between.exclude(change_message__startswith="Dismissed ").exists()


def _who(user, *, by, nobody: str) -> str:
    if user is None:
        return nobody
    return "you, on another page" if user.pk == by.pk else user.get_username()


def lost_text(comment: Comment) -> str:
    comment = Comment.objects.select_related("moderated_by", "taken_down_by").get(pk=comment.pk)
    if comment.withdrawn_at:
        # Its row stays, as a placeholder, while published replies hang on it.
        return "Its author deleted that comment meanwhile; your decision was not applied."
    if comment.taken_down_at:
        # It keeps its approval's moderator, who never took it down.
        who = comment.taken_down_by.get_username() if comment.taken_down_by else None
        return (
            f"Comment by {comment.name} had already been {TAKEN_DOWN_AS} by "
            f"{who or 'another moderator'}; your decision was not applied."
        )
    spam = comment.status == Comment.Status.SPAM
    done = "marked as spam" if spam else comment.status
    if comment.moderated_by is None and comment.versions.exists():
        # Screened again when its author edited it (a block, or a blocked word in the new text).
        screened = "marked the new text as spam" if spam else f"{done} the new text"
        return (
            f"Comment by {comment.name} was edited by its author since, and the screen "
            f"{screened}; your decision was not applied."
        )
    who = comment.moderated_by.get_username() if comment.moderated_by else "the screen"
    return (
        f"Comment by {comment.name} had already been {done} by {who}; your decision was not "
        "applied."
    )
