"""A commenter deletes their comment (its status page's Delete, or an erase of every comment
sent with their address): gone from the pages and the counts; one that replies hang on stays
as an empty placeholder, so the replies keep their place."""

from collections import defaultdict

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from comments.models import Comment, CommentVersion, ReplySubscription, Report
from comments.notifications import confirmation_unsent
from comments.services import move_approved_counts


def _placeholder_fields(now) -> dict:
    # Nothing of the author is left: the row only holds its replies' place.
    return {
        "name": "",
        "email": "",
        "body": "",
        "ip_address": None,
        "user": None,
        "notify_on_decision": False,
        "held_because": [],
        "withdrawn_at": now,
    }


def withdraw_comments(ids: list[int]) -> int:
    """Delete these comments for their author: gone from the pages and the counts at once; one
    that replies hang on stays as an empty placeholder, so the replies keep their place.

    The rows are locked first and every change is worked out from what the lock returned: a
    moderator deciding or taking one down meanwhile, a second press of Delete or an erase at
    the same time waits, then finds the row gone or changed, and counts nothing twice."""
    if not ids:
        return 0
    now = timezone.now()
    locked = list(
        Comment.objects.select_for_update(of=("self",))
        .filter(pk__in=ids, withdrawn_at__isnull=True)
        .order_by("pk")
        .only("pk", "article_id", "status", "email")
    )
    if not locked:
        return 0
    locked_ids = [row.pk for row in locked]
    changes = defaultdict(int)
    # Those readers see: a reply hidden under a comment back in the queue is not counted.
    counted = set(Comment.objects.counted().filter(pk__in=locked_ids).values_list("pk", flat=True))
    for row in locked:
        if row.pk in counted:
            changes[row.article_id] -= 1
    # Replies that are published or may be, and stay: a rejected one, or one withdrawn with
    # it (an erase takes the author's replies too), needs no place kept.
    replies = Comment.objects.filter(
        parent_id__in=locked_ids, status__in=[Comment.Status.APPROVED, Comment.Status.PENDING]
    ).exclude(pk__in=locked_ids)
    answered_ids = set(replies.values_list("parent_id", flat=True))
    _keep_places([row for row in locked if row.pk in answered_ids], changes, now, replies)
    deleted = Comment.objects.filter(
        pk__in=[row.pk for row in locked if row.pk not in answered_ids]
    )
    count = deleted.count()
    deleted.delete()
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
    return count + len(answered_ids)


def _keep_places(rows: list[Comment], changes: dict, now, replies) -> None:
    """Empty these comments into placeholders. A placeholder is never pending: one that waited
    (edited, or hidden by reports) is put up as published, so it never sits blank in the
    queue, cannot be approved or reported, and the published replies it hid come back (into
    the count too: of `replies`, those that stay). A placeholder itself is never counted."""
    ids = [row.pk for row in rows]
    CommentVersion.objects.filter(comment_id__in=ids).delete()
    ReplySubscription.objects.filter(comment_id__in=ids).delete()
    # The reported words are gone: nothing is left in the Reported queue to decide on.
    Report.objects.filter(comment_id__in=ids).delete()
    Comment.objects.filter(pk__in=ids).exclude(status=Comment.Status.PENDING).update(
        **_placeholder_fields(now)
    )
    waited = [row for row in rows if row.status == Comment.Status.PENDING]
    if not waited:
        return
    Comment.objects.filter(pk__in=[row.pk for row in waited]).update(
        **_placeholder_fields(now), status=Comment.Status.APPROVED
    )
    hidden = (
        replies.filter(parent_id__in=[row.pk for row in waited])
        .approved()
        .values("article_id")
        .annotate(n=Count("pk"))
    )
    for row in hidden:
        changes[row["article_id"]] += row["n"]


def withdraw_comment(*, comment: Comment) -> bool:
    """False: it was gone already (deleted by an earlier press, whose lock this one waited on,
    or erased, deleted by a moderator or pruned meanwhile)."""
    with transaction.atomic():
        return withdraw_comments([comment.pk]) > 0
