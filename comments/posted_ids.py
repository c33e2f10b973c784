"""The numbers a moderator's page posts (a comment's id in a field's value or name, a revision,
a preset's id), read as numbers only when a row could have them."""

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

# The largest id (or revision) a row can have, a bigint's: a number past it names none, and
# SQLite cannot even bind it (OverflowError); one of thousands of digits Python will not read.
MAX_ID = 2**63 - 1


def posted_id(value: str) -> int | None:
    """The number posted, or None: not a number, or past any row's."""
    if value.isdecimal() and len(value) <= len(str(MAX_ID)) and int(value) <= MAX_ID:
        return int(value)
    return None


def posted_ids(values) -> list[int]:
    """The ids among these values: the others name no comment, and are left out."""
    return [pk for value in values if (pk := posted_id(value)) is not None]


def ticked_ids(post) -> set[int]:
    """The comments ticked in a list (BulkActions refuses a page whose ticks are not all ids)."""
    return set(posted_ids(post.getlist(ACTION_CHECKBOX_NAME)))


# A row's hidden field marking a placeholder (comments.admin_posted.as_shown).
PLACEHOLDER = "placeholder-"
# The most comments a page posts as shown (a list's longest page is well under it).
MOST_SHOWN = 500


def shown_ids(post) -> list[int]:
    """The comments a page showed when it was drawn (refuse_erased's `on_page`: one deleted or
    erased since tells that words naming an address no comment holds may name an erased one):
    each row's `seen-<pk>`, and those a queue card's script posts in `on_page`. A placeholder
    (a comment its author deleted before the page was drawn, kept for its replies) tells
    nothing of the kind: left out."""
    seen = [name.removeprefix("seen-") for name in post if name.startswith("seen-")]
    ids = {*posted_ids(seen), *posted_ids(post.get("on_page", "").split()[:MOST_SHOWN])}
    return sorted(pk for pk in ids if PLACEHOLDER + str(pk) not in post)[:MOST_SHOWN]
