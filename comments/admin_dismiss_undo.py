"""What the Undo of a bulk Dismiss (comments.dismiss_undo) tells the moderator: the comments whose
reports are open again, hidden by them again where they had been, and, by name, those it left
as they are, with who answered or decided them meanwhile (that decision stands)."""

from django.contrib import messages

from comments.admin_meanwhile import NAMED, answered_by_another, not_undone
from comments.desk import hidden_by_reports
from comments.dismiss_undo import DismissalsUndone
from comments.models import Comment, Report
from newsportal.wording import counted, left_alone, were


def dismissals_undone(undone: DismissalsUndone, dismissed: dict, *, by) -> list[tuple[int, str]]:
    """The messages, each with its level."""
    said = []
    if undone.back:
        said.append((messages.SUCCESS, _back_text(undone.back)))
    left = Comment.objects.filter(pk__in=undone.left).order_by("pk")
    for comment in left[:NAMED]:
        said.append((messages.WARNING, _left_text(comment, when=dismissed[comment.pk], by=by)))
    if len(undone.left) > NAMED:
        more = len(undone.left) - NAMED
        text = f"{counted(more, 'more comment')} answered or decided again meanwhile"
        said.append((messages.WARNING, f"{text} {left_alone(more)}."))
    if undone.gone:
        text = f"{counted(undone.gone, 'comment')} {were(undone.gone)} deleted meanwhile"
        said.append((messages.WARNING, f"{text}: nothing to undo."))
    return said


def _back_text(pks) -> str:
    """ "Not dismissed after all: the reports on 3 comments are open again (1 hidden by its
    reports again, 2 still up)." """
    statuses = list(Comment.objects.filter(pk__in=pks).values_list("status", flat=True))
    hidden = statuses.count(Comment.Status.PENDING)
    up = len(statuses) - hidden
    parts = []
    if hidden:
        parts.append(f"{hidden} hidden by {'its' if hidden == 1 else 'their'} reports again")
    if up:
        parts.append(f"{up} still up")
    n = counted(len(statuses), "comment")
    return f"Not dismissed after all: the reports on {n} are open again ({', '.join(parts)})."


def _left_text(comment: Comment, *, when, by) -> str:
    if text := answered_by_another(comment, by=by):
        return text
    ours = Report.objects.filter(
        comment=comment, resolved_by=by, outcome=Report.Outcome.DISMISSED, resolved_at=when
    )
    if not comment.withdrawn_at and not ours.exists() and comment.reports.open().exists():
        # Undone already (this Undo pressed twice, or the card's).
        return f"The reports on the comment by {comment.name} are open already: nothing to undo."
    if hidden_by_reports(comment) and not comment.withdrawn_at:
        return (
            f"The comment by {comment.name} was reported again and hidden by its reports "
            "meanwhile: it waits in the Reported queue, its new reports open."
        )
    return not_undone(comment, by=by)
