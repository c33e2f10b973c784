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
