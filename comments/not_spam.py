"""A comment sent to spam by mistake (a moderator's stray key, a block-listed word in an innocent
sentence) published after all, from the Spam list: back in the queue (which asks for the mail
its writer wished for, as at posting: spam asks for none) and approved, as the moderator would
in two steps, in one transaction."""

from django.db import transaction
from django.db.models import Q

from comments.models import Comment
from comments.services import Decision, decide, return_to_queue

SPAM = Comment.Status.SPAM


def approve_spam(pks: list[int], *, by, seen: dict[int, int]) -> Decision:
    """Approve these comments, marked as spam, at the revision the moderator read (`seen`).
    Read under their row locks: one decided again or put back since (by another moderator),
    or deleted, is lost; one its author edited since stays as it is. A reply under a comment
    not published waits in the queue for it (decide). Logged, mailed, counted and purged by
    those two."""
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
        if read:
            return_to_queue(chosen, by=by, shown=dict.fromkeys(read, SPAM))
        result = decide(chosen, status=Comment.Status.APPROVED, by=by)
    return result._replace(lost=len(set(pks)) - len(spam), edited=len(spam) - len(read))
