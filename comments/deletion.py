"""A moderator's delete (the admin) and the retention job's (manage.py prune_comments): comments
gone for good, with their replies, the approved counts kept right. Not a commenter's own delete,
which keeps a placeholder where replies hang (comments.withdrawal), nor the retention job's on a
removed comment published or waiting replies hang on: emptied into its placeholder, kept for
them."""

from collections import Counter

from django.db import transaction
from django.db.models import Count, Q

from comments.batching import batches
from comments.forgetting import forget_addresses_on_commit
from comments.models import Comment
from comments.querysets import PENDING
from comments.services import move_approved_counts
from comments.withdrawal import AUTHOR_ERASED, drop_what_hangs_on


def delete_comments(comments, *, still_matching: bool = False, keep_places: bool = False) -> int:
    """Delete comments (and, with a parent, its replies) keeping the approved counts right.

    In one transaction however many: a failure midway deletes nothing and moves no count. The
    statements name the rows a batch at a time (comments.batching): the retention job deletes a
    flood's spam by the ten thousand.

    `still_matching`: only those still matching `comments`' filter once locked (the retention
    job's pick by status and age: one a moderator put back in the queue or approved between the
    pick and the lock no longer qualifies). Without it, the comments picked go whatever happened
    to them meanwhile: a moderator's delete, whose choice is explicit.

    `keep_places`: one that published replies hang on (a top-level comment rejected or spam
    shows them under "Comment removed by a moderator", querysets.REMOVED), or that a reply
    waiting in the queue answers, is not deleted but emptied of everything of its writer's, its
    status kept: the retention job's, whose purpose is the writer's data, not other readers'
    replies (a waiting one, never read by a moderator, would go unseen and its writer never be
    told). Returns how many were deleted."""
    with transaction.atomic():
        ids = sorted(set(comments.values_list("pk", flat=True)))
        # Locked in pk order across the batches, as one statement would take them (lock_rows):
        # a batch's replies locked with it would come before the next batch's comments, and meet
        # an erase or a take-down of the same rows crosswise.
        for batch in batches(sorted({*ids, *_replies(ids)})):
            # A decision or a withdrawal meanwhile waits, and moves no count twice.
            Comment.objects.filter(pk__in=batch).lock_rows()
        if still_matching:
            # Read again once locked: a change that held a row when we asked for it has
            # committed (we waited for it), and no other can start before we commit.
            ids = sorted(pk for b in batches(ids) for pk in _matching(comments, b))
        emails = set()
        if keep_places:
            kept = _answered(ids)
            ids = [pk for pk in ids if pk not in kept]
            emails.update(_empty(sorted(kept)))
        # Read again once locked: a reply sent while the locks waited on the comment it answers
        # (submit_comment locks that first) is deleted, and uncounted, with it.
        doomed = sorted({*ids, *_replies(ids)})
        changes, shown, gone = Counter(), set(), 0
        for batch in batches(doomed):
            rows = Comment.objects.filter(pk__in=batch)
            # Only what readers saw was counted: not a placeholder, nor a reply hidden under a
            # comment that went back to the queue (and was rejected, say).
            for row in rows.counted().values("article_id").annotate(n=Count("pk")):
                changes[row["article_id"]] -= row["n"]
            # A placeholder is published but never counted: it leaves the page all the same.
            shown.update(rows.approved().values_list("article_id", flat=True))
            emails.update(rows.values_list("email", flat=True))
        # Its writers' addresses left without a comment are forgotten (a stop kept as its hash).
        forget_addresses_on_commit(emails)
        for batch in batches(doomed):
            # A batch's comments take their replies with them: a later batch finds them gone.
            gone += Comment.objects.filter(pk__in=batch).delete()[1].get(Comment._meta.label, 0)
        move_approved_counts(changes, shown=shown)
    return gone


def _matching(comments, ids) -> list[int]:
    return list(comments.filter(pk__in=ids).values_list("pk", flat=True))


def _replies(ids: list[int]) -> list[int]:
    replies = (Comment.objects.filter(parent_id__in=batch) for batch in batches(ids))
    return [pk for rows in replies for pk in rows.values_list("pk", flat=True)]


def _answered(ids: list[int]) -> set[int]:
    """Those of these comments a published or a waiting reply hangs on (read once locked, as
    the replies): a waiting one keeps its place for the moderator's decision, as under a
    comment its author deleted (comments.withdrawal)."""
    found = set()
    for batch in batches(ids):
        replies = Comment.objects.filter(Q(status="approved") | PENDING, parent_id__in=batch)
        found.update(replies.values_list("parent_id", flat=True))
    return found


def _empty(ids: list[int]) -> set[str]:
    """Empty these comments into placeholders; returns their writers' addresses. Not counted
    before (rejected or spam) nor after, their replies counted as before: no count moves, and
    the page drew them without name or words already."""
    emails = set()
    for batch in batches(ids):
        rows = Comment.objects.filter(pk__in=batch)
        emails.update(rows.values_list("email", flat=True))
        drop_what_hangs_on(batch)
        # The moderator's reason may quote the words: it goes with them.
        rows.update(**AUTHOR_ERASED, rejection_reason="")
    return emails
