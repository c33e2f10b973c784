"""Where a commenter's comment stands, as both of their own pages say it: its private status
page (comments.views.comment_status) and the export link's list of their comments
(comments.privacy_views). Read in one place, so the list never calls "approved" a comment
whose page says it is off the site (templates/comments/status_words.html words it)."""

from enum import StrEnum

from comments.models import Comment


class Standing(StrEnum):
    WAITING = "waiting"
    # A reply is published only under a published comment: under one rejected (or taken down)
    # it waits until a moderator puts that back or turns the reply down too.
    WAITING_UNDER_GONE_PARENT = "waiting-under-gone-parent"
    PUBLISHED = "published"
    # Approved, but readers do not see it: a reply shows only under a published comment.
    OFF_WHILE_PARENT_WAITS = "off-while-parent-waits"
    OFF_WITH_PARENT = "off-with-parent"
    OFF_WITH_ARTICLE = "off-with-article"
    SPAM_BY_MODERATOR = "spam-by-moderator"
    SPAM_BY_FILTERS = "spam-by-filters"
    TAKEN_DOWN = "taken-down"
    REJECTED = "rejected"


def standing(comment: Comment, *, parent_status: str | None) -> Standing:
    """parent_status: the status of the comment it answers (None for a comment that answers
    none), which a list reads with its comments in the same query. The comment's article is
    read with it too. The same rule as Comment.objects.counted(): a reply shows under an
    approved comment, even one its author withdrew (a placeholder keeps its status)."""
    status = comment.status
    if status == Comment.Status.PENDING:
        if parent_status in (Comment.Status.REJECTED, Comment.Status.SPAM):
            return Standing.WAITING_UNDER_GONE_PARENT
        return Standing.WAITING
    if status == Comment.Status.APPROVED:
        if parent_status == Comment.Status.PENDING:
            return Standing.OFF_WHILE_PARENT_WAITS
        if parent_status not in (None, Comment.Status.APPROVED):
            return Standing.OFF_WITH_PARENT
        if not comment.article.is_public:
            return Standing.OFF_WITH_ARTICLE
        return Standing.PUBLISHED
    if status == Comment.Status.SPAM:
        return Standing.SPAM_BY_MODERATOR if comment.moderated_by_id else Standing.SPAM_BY_FILTERS
    return Standing.TAKEN_DOWN if comment.taken_down_at else Standing.REJECTED
