"""What an erase does to the words moderators wrote that name the erased address: a note, a
block's reason, a rejection's reason (comments.privacy._erase), and a preset rejection reason,
which the policy's page then refuses to write back (presets_left_out)."""

from comments.batching import batches
from comments.erased_named import LEFT_OUT, NAMED_ERASED, left_out, whole_address
from comments.models import Block, Comment, ModeratorNote, RejectionReason


def reasons_naming(email: str) -> list[int]:
    """The comments whose rejection reason names the address whole: another commenter told
    why with it ("You post as ann@... too"), on their comment's page and in their mail."""
    naming = whole_address(email)
    rows = Comment.objects.filter(rejection_reason__icontains=email)
    rows = rows.values_list("pk", "rejection_reason")
    return [pk for pk, reason in rows if naming.search(reason)]


def erase_where_named(email: str, reasons: list[int]) -> None:
    """A moderator's note, a block's reason or a rejection's (`reasons`, locked) that names the
    address whole (a note on an IP address's page, the reason for blocking an IP address or
    another address, for rejecting another commenter) is about its owner: its words go, as a
    log entry naming the address loses its message (comments.privacy), names and whatever
    else it said about them with it; the note, the block and the decision stay, who made them
    and when, and the block holds. One naming only a name is left as it is: a name is not
    unique, and the log keeps such words too."""
    for batch in batches(reasons):
        Comment.objects.filter(pk__in=batch).update(rejection_reason=NAMED_ERASED)
    naming = whole_address(email)
    for model, field in ((ModeratorNote, "text"), (Block, "reason")):
        candidates = model.objects.filter(**{f"{field}__icontains": email}).only("pk", field)
        named = [row for row in candidates if naming.search(getattr(row, field))]
        for row in named:
            setattr(row, field, NAMED_ERASED)
        model.objects.bulk_update(named, [field])
    _presets_without(email, naming)


def _presets_without(email: str, naming) -> None:
    """A preset reason names no commenter of its own: it is sent to whoever a moderator
    rejects with it. Only the address goes, "[erased address]" in its place, and the preset
    still reads as a reason (with the address, every rejection sent with it after the erase
    wrote the address again, and mailed it to another commenter)."""
    presets = RejectionReason.objects.filter(text__icontains=email).only("pk", "text")
    named = [preset for preset in presets if naming.search(preset.text)]
    for preset in named:
        preset.text = naming.sub(LEFT_OUT, preset.text)
    RejectionReason.objects.bulk_update(named, ["text"])


PRESET_NAMES_ERASED = (
    "Not saved: a preset reason names an address erased at its owner's request, which reasons "
    f"no longer keep. It is back in its box with “{LEFT_OUT}” in its place."
)


def presets_left_out(data, prefix: str) -> tuple:
    """The policy page's post with every preset's words (`<prefix>-<n>-text`) as
    refuse_erased gives them back, and whether any named an erased address."""
    named = False
    for name in [n for n in data if n.startswith(f"{prefix}-") and n.endswith("-text")]:
        kept = left_out(data[name])
        if kept != data[name]:
            data = data.copy() if not named else data
            data[name], named = kept, True
    return data, named
