"""A removed comment the daily prune emptied into its replies' placeholder (comments.deletion,
keep_places): its writer's name, address and words are gone for good. Published again it would
be an empty comment on the site, so no decision puts it back in the queue or up (Back to the
queue, Not spam, an Undo of its take-down), and the admin shows it as emptied."""

from django.db.models import Q

from newsportal.wording import counted

# What the prune leaves (deletion._empty: withdrawal.AUTHOR_ERASED, its status kept): no words,
# and, unlike a comment its author deleted, no withdrawn_at. Nothing else is ever without words
# (every comment saved is full_clean'd, and an edit refuses empty words).
EMPTIED = Q(body="", withdrawn_at=None)

EMPTIED_TEXT = (
    "This comment’s words were deleted at the 90-day prune; it stays as the placeholder of its "
    "replies."
)
# The lists' words column, where its words were.
EMPTIED_LISTED = "Emptied at the 90-day prune: kept as the placeholder of its replies."


def is_emptied(comment) -> bool:
    return not comment.body and comment.withdrawn_at is None


def emptied_text(n: int) -> str:
    """Why `n` of the comments a bulk action named were left as they are."""
    if n == 1:
        return EMPTIED_TEXT
    return (
        f"{counted(n, 'comment')}’ words were deleted at the 90-day prune; they stay as the "
        "placeholders of their replies."
    )


# A reply waiting under a comment taken down and then emptied: approving it waits for that
# comment to be put back (querysets.PUBLISHABLE_UNDER), which its emptying refuses for good, so
# "Approve the comment first" would send the moderator after a decision no one can make.
ONLY_REJECTED_TEXT = (
    "The comment it answers was taken down and its words deleted at the 90-day prune: this "
    "reply can only be rejected."
)


def answers_emptied_take_down(comment) -> bool:
    """A reply whose comment was taken down and then emptied: it can only be rejected."""
    parent = comment.parent if comment.parent_id else None
    return bool(parent and parent.taken_down_at and is_emptied(parent))
