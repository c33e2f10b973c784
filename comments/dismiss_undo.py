"""The Undo beside "Dismiss reports on selected comments" (the Reported queue's bulk action): the
reports each Dismiss closed open again, and a comment they had hidden, put back up by the
Dismiss, is hidden by them again, as a card's Undo takes back its Dismiss
(comments.report_undo.undo_dismissal). The Undo's form names the dismissals, signed: each
comment, and the moment its Dismiss closed its reports. One answered again since (dismissed or
upheld, by anyone), or a comment decided, taken down or deleted meanwhile, stays as it is."""

from datetime import datetime
from typing import NamedTuple

from django.core import signing
from django.db import transaction
from django.db.models import Max, Q

from comments.models import Comment, Report
from comments.report_undo import undo_dismissal

DISMISSED_SALT = "comments.dismiss-undo"


def dismissed_token(pks, *, by, since: datetime) -> str:
    """For the Undo's form: {comment id: when `by`'s Dismiss, made at `since` or after, closed
    its reports}. Signed: the Undo takes back only the dismissals it names."""
    rows = (
        Report.objects.filter(
            comment_id__in=list(pks),
            resolved_by=by,
            outcome=Report.Outcome.DISMISSED,
            resolved_at__gte=since,
        )
        .values("comment_id")
        .annotate(at=Max("resolved_at"))
        .values_list("comment_id", "at")
    )
    dismissed = {str(pk): at.isoformat() for pk, at in rows}
    return signing.dumps(dismissed, salt=DISMISSED_SALT, compress=True)


def dismissed_in(token: str) -> dict[int, datetime]:
    """dismissed_token's dismissals; none from a token not ours."""
    try:
        rows = signing.loads(token, salt=DISMISSED_SALT)
    except signing.BadSignature:
        return {}
    return {int(pk): datetime.fromisoformat(at) for pk, at in rows.items()}


class DismissalsUndone(NamedTuple):
    back: list[int]  # their reports open again (hidden by them again, if they had been)
    left: list[int]  # as they are: answered or decided again since, or undone already
    gone: int  # deleted meanwhile


def undo_dismissals(dismissed: dict[int, datetime], *, by) -> DismissalsUndone:
    """Take back these dismissals of `by` (dismissed_in), in one transaction."""
    pks = sorted(dismissed)
    back, left = [], []
    with transaction.atomic():
        # Every comment's rows at once, in pk order, then their stories' count rows, as the
        # bulk Dismiss took them: one at a time, each would lock its story in the comments'
        # order and cross a bulk approval across the same stories.
        answered = Comment.objects.filter(pk__in=pks).values("parent_id")
        threads = Q(pk__in=pks) | Q(parent_id__in=pks) | Q(pk__in=answered)
        Comment.objects.filter(threads).lock_rows()
        Comment.objects.filter(pk__in=pks).lock_stories()
        found = list(Comment.objects.filter(pk__in=pks).order_by("pk"))
        for comment in found:
            undone = undo_dismissal(comment=comment, by=by, when=dismissed[comment.pk])
            (back if undone else left).append(comment.pk)
    return DismissalsUndone(back, left, len(pks) - len(found))
