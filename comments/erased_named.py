"""An address erased at its owner's request is not written back in clear by a moderator's words:
comments.privacy takes it out of notes, block reasons, rejection reasons and the log, and a
page drawn before the erase (a note being corrected, a new one, a block's reason) would put it
back. As update_policy keeps it a keyed hash in the policy's list, here the words are refused,
and given back with the address left out."""

import re

from django.core.exceptions import ValidationError

from comments.models import Block, Comment, CommenterAddress, ModerationPolicy, erased_emails

# Where a moderator's note or reason named the commenter's address (comments.privacy).
NAMED_ERASED = "[erased at the request of the commenter it named]"
# Where the words given back to the moderator named one.
LEFT_OUT = "[erased address]"
NAMES_ERASED = (
    "Not saved: your words name an address erased at its owner's request (or whose comments "
    "this page showed were deleted since it was drawn), which notes and reasons no longer keep. "
    f"They are back in the box with “{LEFT_OUT}” in its place."
)
# What might be an address in a moderator's words: whole_address decides what it names.
_WRITTEN = re.compile(r"[^\s<>()\[\]{},;:\"]+@[^\s<>()\[\]{},;:\"]+")


class NamesErased(ValidationError):
    """The words name an erased address: nothing written. `kept`: the words without it."""

    def __init__(self, kept: str, message: str = NAMES_ERASED):
        super().__init__(message)
        self.kept = kept


def whole_address(email: str) -> re.Pattern:
    """The address as a whole: not "nsmith@gmail.com" inside "johnsmith@gmail.com", nor
    "x@site.co" inside "x@site.com" (an entry about someone else, theirs to keep). Before it,
    a quote or a dot is part of another address only right after a letter ("o'ann@",
    "j.ann@"): a moderator's "'ann@...'", "as...ann@" or "bob@.../ann@" names this one."""
    return re.compile(rf"(?<![\w+-])(?<!\w['.]){re.escape(email)}(?![\w-]|\.[\w-])", re.IGNORECASE)


def refuse_erased(text: str, *, also=(), on_page=(), cleaned: bool = False) -> None:
    """NamesErased if `text`, or `also` (the address a note or block is keyed by), names an
    address erased at its owner's request that no comment holds again since: one whose keyed
    hash an erase kept (a block, the policy's list, a stop of all mail); with `cleaned` (the
    note an erase emptied) or when comments of `on_page` (the ids the moderator's page
    showed) are gone since, any address no comment holds."""
    also = {address.lower() for address in also}
    named = also | {written.strip(".'`").lower() for written in _WRITTEN.findall(text)}
    if not named:
        return
    held = set(Comment.objects.filter(email__in=named).values_list("email", flat=True))
    unheld = named - held
    if not unheld:
        return
    if not (cleaned or _gone(on_page)):
        unheld = _hashes_kept(unheld)
    erased = [address for address in unheld if address in also or _names(text, address)]
    if erased:
        for address in erased:
            text = whole_address(address).sub(LEFT_OUT, text)
        raise NamesErased(text)


def left_out(text: str, *, on_page=()) -> str:
    """The words as refuse_erased gives them back: an erased address they name left out."""
    try:
        refuse_erased(text, on_page=on_page)
    except NamesErased as refused:
        return refused.kept
    return text


def _names(text: str, address: str) -> bool:
    return bool(whole_address(address).search(text))


def _gone(on_page) -> bool:
    """Whether comments the page showed were erased or deleted since it was drawn."""
    ids = set(on_page)
    return bool(ids) and Comment.objects.filter(pk__in=ids, withdrawn_at=None).count() < len(ids)


def _hashes_kept(addresses: set[str]) -> set[str]:
    hashes = {hashed: address for address in addresses for hashed in erased_emails(address)}
    kept = set(
        Block.objects.filter(kind=Block.Kind.EMAIL, value__in=hashes).values_list(
            "value", flat=True
        )
    )
    kept.update(CommenterAddress.objects.filter(email__in=hashes).values_list("email", flat=True))
    listed = ModerationPolicy.objects.filter(pk=1).values_list("blocked_emails", flat=True)
    kept.update(ModerationPolicy.lines(next(iter(listed), "")))
    return {address for hashed, address in hashes.items() if hashed in kept}
