"""A comment sent to spam by mistake (a moderator's stray key, a block-listed word in an innocent
sentence) published after all, from the Spam list: back in the queue (which asks for the mail
its writer wished for, as at posting: spam asks for none) and approved, as the moderator would
in two steps, in one transaction. Undone (a mistaken click), it is spam again as it was."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.db.models import Q

from comments.models import Comment
from comments.notifications import mail_unasked
from comments.services import Decision, decide, return_to_queue

SPAM = Comment.Status.SPAM
APPROVED = Comment.Status.APPROVED
AS_SPAM_SALT = "comments.not-spam.as-spam"


def approve_spam(pks: list[int], *, by, seen: dict[int, int]) -> tuple[Decision, str]:
    """Approve these comments, marked as spam, at the revision the moderator read (`seen`).
    Read under their row locks: one decided again or put back since (by another moderator),
    or deleted, is lost; one its author edited since stays as it is. A reply under a comment
    not published waits in the queue for it (decide). Logged, mailed, counted and purged by
    those two. With the Decision, what the approved ones were in Spam (as_spam_token), for
    their Undo (undo_not_spam)."""
    with transaction.atomic():
        # The rows return_to_queue and decide lock, taken first in one pk order (nothing changes
        # between the read and them): the comments, their replies and the comments ticked
        # replies answer. Locked after the writer's address was claimed, those met a take-down
        # of that comment, or the writer's own reply to it, crosswise.
        answered = Comment.objects.filter(pk__in=pks).values("parent_id")
        thread = Q(pk__in=pks) | Q(parent_id__in=pks) | Q(pk__in=answered)
        Comment.objects.filter(thread).lock_rows()
        rows = Comment.objects.filter(pk__in=pks).values_list("pk", "status", "revision")
        spam = {pk: revision for pk, status, revision in rows if status == SPAM}
        read = [pk for pk, revision in spam.items() if seen.get(pk) == revision]
        chosen = Comment.objects.filter(pk__in=read)
        # Their stories' count rows (decide moves them) before return_to_queue claims the
        # writers' addresses for the mail they asked for: a post published at once takes
        # its story, then its address (comments.forgetting's lock order).
        chosen.lock_stories()
        marked = chosen.values_list("pk", "moderated_by", "moderated_at")
        marked = {pk: (by_id, at) for pk, by_id, at in marked}
        if read:
            return_to_queue(chosen, by=by, shown=dict.fromkeys(read, SPAM))
        result = decide(chosen, status=APPROVED, by=by)
        ours = chosen.filter(status=APPROVED, moderated_by=by)
        as_spam = {pk: (*marked[pk], at) for pk, at in ours.values_list("pk", "moderated_at")}
    result = result._replace(lost=len(set(pks)) - len(spam), edited=len(spam) - len(read))
    return result, as_spam_token(as_spam)


def as_spam_token(as_spam: dict[int, tuple]) -> str:
    """For the Undo's form: {pk: (who marked it as spam, when, when it was approved)}. Signed:
    the Undo credits a decision to whom it names."""
    rows = {pk: [by_id, _iso(at), _iso(approved)] for pk, (by_id, at, approved) in as_spam.items()}
    return signing.dumps(rows, salt=AS_SPAM_SALT, compress=True)


def _as_spam(token: str) -> dict[int, tuple]:
    """as_spam_token's rows; none from a token not ours."""
    try:
        rows = signing.loads(token, salt=AS_SPAM_SALT)
    except signing.BadSignature:
        return {}
    return {int(pk): (by_id, _when(at), _when(ok)) for pk, (by_id, at, ok) in rows.items()}


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at else None  # an old row may have no time


def _when(iso: str | None) -> datetime | None:
    return datetime.fromisoformat(iso) if iso else None


def undo_not_spam(pks: list[int], *, by, token: str) -> int:
    """A "Not spam" undone (a mistaken click): those of the comments still as `by` approved them
    are spam again, off the page and the counts, credited to whoever marked them as spam, when
    they did (the filters, or a moderator: as_spam_token's, for that very approval), and the
    confirmation or question the approval asked for their writers, still waiting, does not go
    (mail_unasked). One decided again, put back or taken down since keeps what was done to it.
    Returns how many are spam again."""
    as_spam = _as_spam(token)
    with transaction.atomic():
        # return_to_queue's rows, then the stories it moves, before the writers' addresses.
        Comment.objects.filter(Q(pk__in=pks) | Q(parent_id__in=pks)).lock_rows()
        Comment.objects.filter(pk__in=pks).lock_stories()
        ours = Comment.objects.filter(pk__in=pks, status=APPROVED, moderated_by=by)
        approved_at = dict(ours.values_list("pk", "moderated_at"))
        return_to_queue(Comment.objects.filter(pk__in=approved_at), by=by, undoing=APPROVED)
        back = Comment.objects.filter(pk__in=approved_at, status=Comment.Status.PENDING)
        back = list(back.only("pk", "email", "moderated_by", "moderated_at"))
        if not back:
            return 0
        decide(back, status=SPAM, by=by)
        # Whoever marked them, unless their account went meanwhile.
        named = get_user_model().objects.filter(pk__in=[row[0] for row in as_spam.values()])
        known = set(named.values_list("pk", flat=True))
        restored = []
        for comment in back:
            by_id, at, approved = as_spam.get(comment.pk, (None, None, None))
            if approved == approved_at[comment.pk] and (by_id is None or by_id in known):
                comment.moderated_by_id, comment.moderated_at = by_id, at
                restored.append(comment)
        Comment.objects.bulk_update(restored, ["moderated_by", "moderated_at"])
        mail_unasked(back)
    return len(back)
