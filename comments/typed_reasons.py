"""The reason a moderator gives with a rejection or a take-down (typed, or a preset chosen): kept
with the comment and sent to its writer (their comment's page, their mail). Checked before
anything is decided: its length, and an address erased at its owner's request that it names
(comments.erased_named): the erase took it out of every reason, and a reason typed after it (on
a page drawn before it, or about an address whose block outlived it) would write it back."""

from django.core.exceptions import ValidationError

from comments.erased_named import LEFT_OUT, NamesErased, refuse_erased
from comments.models import Comment

NOT_DECIDED = (
    "Nothing was decided: your reason names an address erased at its owner's request (or whose "
    "comments this page showed were deleted since it was drawn), which reasons no longer keep. "
    f"It is back in the box with “{LEFT_OUT}” in its place."
)


def clean_reason(reason: str, *, on_page=()) -> str:
    """The reason as it is kept, or ValidationError (too long) or NamesErased (its `kept`: the
    words without the address). `on_page`: the comments the moderator's page showed."""
    reason = reason.strip()
    # The address first: a reason refused for its length goes back to the moderator's box
    # through their session (a row in the database), never with the address in clear.
    try:
        refuse_erased(reason, on_page=on_page)
    except NamesErased as refused:
        raise NamesErased(refused.kept, NOT_DECIDED) from None
    limit = Comment._meta.get_field("rejection_reason").max_length
    if len(reason) > limit:
        raise ValidationError(f"Keep the reason to {limit} characters (it has {len(reason)}).")
    return reason
