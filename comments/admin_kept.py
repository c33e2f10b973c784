"""What a moderator gave on a list page that was sent back undone (a refused bulk action, Enter
in a reason box that decided nothing): their ticks, their words in the cards' boxes and the
action bar's, kept in their session over the redirect and shown again, never lost."""

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from comments.erased_named import left_out
from comments.models import RejectionReason
from comments.posted_ids import posted_id, shown_ids

# {comment id: {"reason": words, "preset": preset id, "ticked": bool}}.
KEPT_REASONS = "comments-kept-reasons"
# The action bar's {"action": name, "reason": words}.
KEPT_BAR = "comments-kept-bar"


def given(post, pk, *, bar: bool) -> tuple[str, str]:
    """The words typed and the preset (its id) given for a rejection of this comment: on its
    card or, with `bar`, failing that in the form's own box and select (a comment's page, and
    the queue's action bar, which a card's button posts too)."""
    typed = post.get(f"reason-{pk}", "").strip() or (post.get("reason", "").strip() if bar else "")
    preset = post.get(f"preset-{pk}", "") or (post.get("preset", "") if bar else "")
    return typed, preset if posted_id(preset) is not None else ""


def to_keep(post, pk, *, bar: bool = False) -> dict:
    """What was given for this comment, as the session keeps it. Words naming an address
    erased at its owner's request (a preset's too) are kept without it, as typed words: the
    session is a row in the database, which the erase left without the address."""
    typed, preset = given(post, pk, bar=bar)
    words = typed or _preset_text(preset)
    if words and (kept := left_out(words, on_page=shown_ids(post))) != words:
        return {"reason": kept, "preset": None}
    return {"reason": typed, "preset": int(preset) if preset else None}


def _preset_text(preset: str) -> str:
    if not preset:
        return ""
    return RejectionReason.objects.filter(pk=preset).values_list("text", flat=True).first() or ""


def keep_the_page(request) -> None:
    """The list's form as the moderator left it: every tick, every card's words, the bar's."""
    post = request.POST
    ticked = {pk for pk in post.getlist(ACTION_CHECKBOX_NAME) if pk.isdecimal()}
    cards = {
        pk
        for name, value in post.items()
        if value.strip()
        and (pk := name.removeprefix("reason-").removeprefix("preset-")) != name
        and pk.isdecimal()
    }
    request.session[KEPT_REASONS] = {
        pk: {**to_keep(post, pk), "ticked": pk in ticked} for pk in ticked | cards
    }
    request.session[KEPT_BAR] = {
        "action": post.get("action", ""),
        "reason": left_out(post.get("reason", "").strip(), on_page=shown_ids(post)),
    }


def kept_ticks(request) -> set[str]:
    """The ids of the comments ticked on the page sent back (DecisionViews reads them)."""
    kept = getattr(request, "kept_reasons", {})
    return {pk for pk, given_for in kept.items() if given_for.get("ticked")}
