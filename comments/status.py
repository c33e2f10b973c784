"""Where a commenter's comment stands, as both of their own pages say it: its private status
page (comments.views.comment_status) and the export link's list of their comments
(comments.privacy_views). Read in one place, so the list never calls "approved" a comment
whose page says it is off the site (templates/comments/status_words.html words it); and
what Save says of an edit, in the same words."""

from enum import StrEnum
from itertools import permutations

from django.contrib import messages
from django.db.models import Q
from django.template.loader import render_to_string

from comments.models import Block, Comment
from comments.models.desk import block_reason
from comments.querysets import REMOVED
from comments.screening import BLOCKED_EMAIL

# The screen's reasons that name nothing but the address a comment was sent with.
ADDRESS_BLOCKED = (BLOCKED_EMAIL, block_reason(Block.Kind.EMAIL))


class Standing(StrEnum):
    # The values are also the "status" of each comment in its owner's JSON download (the README
    # lists them): files already downloaded name them, so a value is never renamed.
    WAITING = "waiting"
    # A reply is published only where readers see replies: under one taken down (its replies
    # came down with it) it waits until a moderator puts that back or turns the reply down too.
    # Under the placeholder of one removed otherwise, beside the replies kept there, it is
    # simply waiting (querysets.PUBLISHABLE_UNDER).
    WAITING_UNDER_GONE_PARENT = "waiting-under-gone-parent"
    PUBLISHED = "published"
    # Approved, but readers do not see it: a reply shows only under a published comment, or
    # the placeholder of one removed (comments.querysets.REMOVED).
    OFF_WHILE_PARENT_WAITS = "off-while-parent-waits"
    # No longer given: a reply under a comment not kept stays on the page under its placeholder.
    OFF_WITH_PARENT = "off-with-parent"
    OFF_WITH_ARTICLE = "off-with-article"
    SPAM_BY_MODERATOR = "spam-by-moderator"
    SPAM_BY_FILTERS = "spam-by-filters"
    TAKEN_DOWN = "taken-down"
    REJECTED = "rejected"


def standing(comment: Comment, *, parent_status: str | None, parent_taken_down: bool) -> Standing:
    """parent_status: the status of the comment it answers (None for a comment that answers
    none), and whether that one was taken down, which a list reads with its comments in the
    same query (parent_said gives both from a comment's parent). The comment's article is
    read with it too. The same rule as Comment.objects.counted(): a reply shows under an
    approved comment, even one its author withdrew (a placeholder keeps its status), and under
    the placeholder of one removed after it was published; not while that one waits."""
    status = as_its_writer_sees(comment)
    if status == Comment.Status.PENDING:
        if parent_status in REMOVED and parent_taken_down:
            return Standing.WAITING_UNDER_GONE_PARENT
        return Standing.WAITING
    if status == Comment.Status.APPROVED:
        if parent_status == Comment.Status.PENDING:
            return Standing.OFF_WHILE_PARENT_WAITS
        if not comment.article.is_public:
            return Standing.OFF_WITH_ARTICLE
        return Standing.PUBLISHED
    if status == Comment.Status.SPAM:
        return Standing.SPAM_BY_MODERATOR if comment.moderated_by_id else Standing.SPAM_BY_FILTERS
    return Standing.TAKEN_DOWN if comment.taken_down_at else Standing.REJECTED


def held_for_its_address(comment: Comment) -> bool:
    """Sent to spam by the screen for its address alone. Anyone may type anyone's address: its
    writer must not learn from it that a moderator blocked the address (a decision about a
    third party, perhaps), so to them it is a comment waiting for review; moderators find it
    held as spam. Blocked words, or the writer's own IP address, are about the writer: such a
    comment says the filters held it back, as it would with any address."""
    return (
        comment.status == Comment.Status.SPAM
        and comment.moderated_by_id is None
        and address_alone(comment.held_because)
    )


def address_alone(reasons: list[str]) -> bool:
    """The screen's reasons name nothing but the address the comment was sent with."""
    return bool(reasons) and set(reasons) <= set(ADDRESS_BLOCKED)


def as_its_writer_sees(comment: Comment) -> str:
    """The status its writer's pages, buttons and mail go by (held_for_its_address)."""
    return Comment.Status.PENDING if held_for_its_address(comment) else comment.status


def waiting_to_its_writer(prefix: str = "") -> Q:
    """as_its_writer_sees() is PENDING, for a query (prefix: the path to the comment, as
    "comment__")."""
    held = Q()
    for n in range(1, len(ADDRESS_BLOCKED) + 1):
        for reasons in permutations(ADDRESS_BLOCKED, n):
            held |= Q(**{f"{prefix}held_because": list(reasons)})
    spam = Q(**{f"{prefix}status": Comment.Status.SPAM, f"{prefix}moderated_by": None})
    return Q(**{f"{prefix}status": Comment.Status.PENDING}) | (spam & held)


def replies_shown_with(comment: Comment) -> int:
    """The replies readers see under this comment while it is published (approved, not
    withdrawn): they leave the page while it waits for a moderator again (Comment.objects
    .counted), which its writer's pages say before and after an edit sends it back. Once it is
    rejected or spam, none: they are on the page again, under its placeholder."""
    if comment.parent_id is not None or comment.status in REMOVED:  # one level deep
        return 0
    return Comment.objects.approved().filter(parent=comment, withdrawn_at=None).count()


def replies_off_said(comment: Comment) -> str:
    """After an edit took it off the page, in its status page's words (replies_off.html), to
    follow Save's message: readers saw its replies vanish, and nothing told their writer."""
    said = render_to_string(
        "comments/replies_off.html", {"replies_shown": replies_shown_with(comment)}
    )
    return f" {said.strip()}" if said.strip() else ""


def parent_said(comment: Comment) -> dict:
    """What standing() asks of the comment this one answers, read from the row it holds."""
    parent = comment.parent if comment.parent_id else None
    return {
        "parent_status": parent.status if parent else None,
        "parent_taken_down": bool(parent and parent.taken_down_at),
    }


def stands_now(comment) -> Standing:
    """Where this comment stands, its parent's status read from the row it holds."""
    return standing(comment, **parent_said(comment))


def say_updated(request, comment) -> None:
    """What an edit saved says, by where the comment stands now, as its status page (below the
    message) words it: "on the article" only where readers see it. A reply approved under a
    comment back in the queue (or not kept) is off the page, its edit kept published there by
    the policy's "keep clean edits published": "updated on the article" sent its writer
    looking for it."""
    stands = stands_now(comment)
    if stands == Standing.PUBLISHED:
        messages.success(request, "Your comment is updated on the article.")
    elif stands == Standing.SPAM_BY_FILTERS:
        messages.warning(
            request,
            "Your comment is updated, but the site's filters held the new text back: "
            "it will not be published." + replies_off_said(comment),
        )
    elif stands in (Standing.WAITING, Standing.WAITING_UNDER_GONE_PARENT):
        messages.success(
            request,
            "Your comment is updated. A moderator will review the new text."
            + replies_off_said(comment),
        )
    else:  # approved, off the page for now: its status, right below, says why
        messages.success(request, "Your comment is updated.")
