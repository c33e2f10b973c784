"""A commenter deletes their comment (its status page's Delete, or an erase of every comment
sent with their address): gone from the pages and the counts; one that replies hang on stays
as an empty placeholder, so the replies keep their place."""

from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from comments.batching import batches
from comments.models import Comment, CommentVersion, ReplySubscription, Report
from comments.notifications import confirmation_unsent
from comments.services import move_approved_counts

# Nothing of the author is left: the row only holds its replies' place. The retention job
# empties an old removed comment the same way (comments.deletion), keeping its status.
AUTHOR_ERASED = {
    "name": "",
    "email": "",
    "body": "",
    "ip_address": None,
    "user": None,
    "notify_on_decision": False,
    "held_because": [],
}


def _placeholder_fields(now) -> dict:
    return {**AUTHOR_ERASED, "withdrawn_at": now}


def drop_what_hangs_on(ids) -> None:
    """What a placeholder keeps of none: its earlier words, its writer's reply subscription,
    and readers' reports on words that are gone (nothing left to decide on)."""
    CommentVersion.objects.filter(comment_id__in=ids).delete()
    ReplySubscription.objects.filter(comment_id__in=ids).delete()
    Report.objects.filter(comment_id__in=ids).delete()


def withdraw_comments(ids: list[int]) -> int:
    """Delete these comments for their author: gone from the pages and the counts at once; one
    that replies hang on stays as an empty placeholder, so the replies keep their place.

    The rows are locked first and every change is worked out from what the lock returned: a
    moderator deciding or taking one down meanwhile, a second press of Delete or an erase at
    the same time waits, then finds the row gone or changed, and counts nothing twice. Each
    statement names a batch of them (comments.batching): an erase takes every comment a
    regular ever wrote, and SQLite refused a statement naming a thousand."""
    if not ids:
        return 0
    now = timezone.now()
    locked = []
    for batch in batches(sorted(set(ids))):  # in pk order across the batches, as one statement
        rows = Comment.objects.select_for_update(of=("self",)).filter(pk__in=batch)
        rows = rows.filter(withdrawn_at__isnull=True).order_by("pk")
        locked += rows.only("pk", "article_id", "status", "email")
    if not locked:
        return 0
    locked_ids = [row.pk for row in locked]
    changes = defaultdict(int)
    # Those readers see: a reply hidden under a comment back in the queue is not counted.
    counted = set()
    for batch in batches(locked_ids):
        counted.update(Comment.objects.counted().filter(pk__in=batch).values_list("pk", flat=True))
    for row in locked:
        if row.pk in counted:
            changes[row.article_id] -= 1
    # Replies that are published or may be, and stay: a rejected one, or one withdrawn with
    # it (an erase takes the author's replies too), needs no place kept.
    withdrawn = set(locked_ids)
    replies = [reply for reply in _replies(locked_ids) if reply.pk not in withdrawn]
    answered_ids = {reply.parent_id for reply in replies}
    _keep_places([row for row in locked if row.pk in answered_ids], changes, now, replies)
    deleted = [row.pk for row in locked if row.pk not in answered_ids]
    for batch in batches(deleted):
        Comment.objects.filter(pk__in=batch).delete()
    # What readers saw changes even where the counts add up to nothing.
    shown = {
        row.article_id
        for row in locked
        if row.status == Comment.Status.APPROVED or row.pk in answered_ids
    }
    # The stories' count rows before the address's row, as a post takes them (forgetting's
    # lock order): the other way, a post on the same story met this Delete crosswise.
    move_approved_counts(changes, shown=shown)
    confirmation_unsent(locked)
    return len(deleted) + len(answered_ids)


def _replies(ids: list[int]) -> list[Comment]:
    """The replies to these comments that are published, or may be."""
    may_show = [Comment.Status.APPROVED, Comment.Status.PENDING]
    found = []
    for batch in batches(ids):
        replies = Comment.objects.filter(parent_id__in=batch, status__in=may_show)
        found += replies.only("pk", "parent_id", "article_id", "status")
    return found


def _keep_places(rows: list[Comment], changes: dict, now, replies: list[Comment]) -> None:
    """Empty these comments into placeholders. A placeholder is never pending: one that waited
    (edited, or hidden by reports) is put up as published, so it never sits blank in the
    queue, cannot be approved or reported, and the published replies it hid come back (into
    the count too: of `replies`, those that stay). A placeholder itself is never counted."""
    for batch in batches([row.pk for row in rows]):
        drop_what_hangs_on(batch)
        Comment.objects.filter(pk__in=batch).exclude(status=Comment.Status.PENDING).update(
            **_placeholder_fields(now)
        )
    waited = {row.pk for row in rows if row.status == Comment.Status.PENDING}
    for batch in batches(sorted(waited)):
        Comment.objects.filter(pk__in=batch).update(
            **_placeholder_fields(now), status=Comment.Status.APPROVED
        )
    for reply in replies:
        if reply.parent_id in waited and reply.status == Comment.Status.APPROVED:
            changes[reply.article_id] += 1


def withdraw_comment(*, comment: Comment) -> bool:
    """False: it was gone already (deleted by an earlier press, whose lock this one waited on,
    or erased, deleted by a moderator or pruned meanwhile)."""
    with transaction.atomic():
        return withdraw_comments([comment.pk]) > 0
