"""What a moderator's page posts with a decision, read for the views that decide: the words each
row showed (its revision), the reasons given on cards or in the action bar, the boxes Enter was
pressed in, and whether the queue's script asks for JSON."""

from comments.admin_kept import given
from comments.models import RejectionReason


def seen_revisions(post) -> dict[int, int]:
    """The comments a page showed, each at the revision shown: `seen-<pk>` = revision."""
    seen = {}
    for name, value in post.items():
        pk = name.removeprefix("seen-")
        if pk != name and pk.isdecimal() and value.isdecimal():
            seen[int(pk)] = int(value)
    return seen


def card_reasons(post, pks, *, bar: bool = False) -> dict[int, str]:
    """{comment id: reason} of the comments given one (typed, else a preset chosen)."""
    presets = dict(RejectionReason.objects.values_list("pk", "text"))
    reasons = {}
    for pk in pks:
        typed, preset = given(post, pk, bar=bar)
        reason = typed or (presets.get(int(preset), "") if preset else "")
        if reason:
            reasons[pk] = reason
    return reasons


def reasons_typed(request) -> dict[str, str]:
    """Without JavaScript, Enter in a card's reason box submits the list's form through its
    first button, the actions bar's "Go", with no action chosen: the moderator meant that
    card's Reject, with the words they typed. {comment id: words} of the boxes with words."""
    post = request.POST
    if request.method != "POST" or post.get("action") or "index" not in post:
        return {}
    return {
        pk: value.strip()
        for name, value in post.items()
        if (pk := name.removeprefix("reason-")) != name and pk.isdecimal() and value.strip()
    }


def wants_json(request) -> bool:
    # The queue's scripts (static/js/moderation*.js) ask for JSON; a plain form post does not.
    return "application/json" in request.headers.get("Accept", "")
