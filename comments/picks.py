"""Editors' picks: published comments a moderator sets above an article's comments, the way
newsrooms show the comments that best answer a story. A pick holds the words the moderator read:
an edit since, a withdrawal or a reply's comment off the page hides it (querysets.PICKED); leaving
the page (a take-down, back to the queue, hidden by reports) ends it (querysets.UNPICKED). The
writes purge the article's page."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from comments.audit import record
from comments.models import Comment
from newsportal.caching import article_key, purge

# Enough to show the best of a conversation at the top of it, few enough to read there.
MAX_PICKS = 5

NOT_PUBLISHED = "Only a published comment can be an editors' pick: this one is not on the page."
EDITED_SINCE = (
    "Not picked: its author edited it after this page was drawn. Read the new words, then pick it."
)
TOO_MANY = (
    f"Not picked: this article already has {MAX_PICKS} editors' picks, as many as it shows. "
    "Remove one first."
)


def pick(*, comment: Comment, by, revision: int) -> bool:
    """Pick a published comment in the words the moderator read (its revision then). Returns
    False if it already was; raises ValidationError saying why it cannot be."""
    with transaction.atomic():
        # The comment first, as a take-down or an edit locks it (then the article's count): one
        # landing meanwhile waits for this pick, or this pick reads what it left.
        Comment.objects.select_for_update(of=("self",)).filter(pk=comment.pk).only("pk").first()
        # Two moderators picking the last places at once: the second waits, then counts.
        Article.objects.select_for_update().filter(pk=comment.article_id).first()
        picks = Comment.objects.picks().filter(article_id=comment.article_id)
        if picks.filter(pk=comment.pk, revision=revision).exists():
            return False
        shown = Comment.objects.counted().filter(pk=comment.pk)
        current = shown.values_list("revision", flat=True).first()
        if current is None:
            raise ValidationError(NOT_PUBLISHED)
        if current != revision:
            raise ValidationError(EDITED_SINCE)
        if picks.count() >= MAX_PICKS:
            raise ValidationError(TOO_MANY)
        # Conditional on the words read: an edit landing since is not picked unread.
        picked = Comment.objects.filter(pk=comment.pk, revision=revision).update(
            picked_at=timezone.now(), picked_by=by, picked_revision=revision
        )
        if not picked:
            raise ValidationError(EDITED_SINCE)
        record(by, [comment], "Picked as an editors' pick")
        purge(article_key(comment.article_id))
    return True


def unpick(*, comment: Comment, by) -> bool:
    """Take a comment off the editors' picks. Returns False if it was not one."""
    with transaction.atomic():
        done = Comment.objects.filter(pk=comment.pk, picked_revision__isnull=False).update(
            picked_at=None, picked_by=None, picked_revision=None
        )
        if done:
            record(by, [comment], "Removed from the editors' picks")
            purge(article_key(comment.article_id))
    return bool(done)
