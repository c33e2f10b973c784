"""The commenter, in one place: everything one e-mail address or IP address has sent, their
pending comments decided at once, moderators' notes, and blocks with an expiry."""

import contextlib
import ipaddress

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode

from comments.admin_decisions import DECISIONS
from comments.admin_meanwhile import decided_by_others
from comments.admin_posted import seen_revisions
from comments.admin_search import from_network
from comments.admin_words import sentence, tell_left_waiting
from comments.decision_words import decision_words
from comments.desk import (
    BLOCK_PERIODS,
    BlockedMeanwhile,
    add_note,
    block_sender,
    decide_sender,
    delete_note,
    edit_note,
    lift_block,
    note_as_shown,
)
from comments.erased_named import NAMED_ERASED, NamesErased
from comments.models import Block, Comment, ModeratorNote
from comments.posted_ids import posted_id, posted_ids
from comments.ratelimit import sender
from newsportal.wording import counted, left_alone

SHOWN = 100


def waiting_under_unpublished(n):
    return f"{counted(n, 'reply', 'replies')} left waiting under unpublished comments."


TYPED_FOR_REJECT_ALL = (
    "You typed a reason for rejecting, so nothing was approved: press “Reject all” to reject "
    "the waiting comments with that reason, or clear the reason to approve them."
)


def _sender(request) -> tuple[str, str]:
    """("email", address) or ("ip", address) from the query string, checked. The kinds are
    Block.Kind's, and the names decide_sender and add_note take the address by."""
    email = request.GET.get("email", "").strip().lower()
    ip = request.GET.get("ip", "").strip()
    try:
        if email:
            validate_email(email)
            return "email", email
        if ip:
            return "ip", str(ipaddress.ip_address(ip))
    except (ValidationError, ValueError):
        pass
    raise Http404("Give an e-mail address or an IP address.")


def _number(post, name: str) -> int | None:
    return posted_id(post.get(name, ""))  # a row's id, or None: past any row's names none


def commenter_view(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    kind, value = _sender(request)
    # An IPv6 sender is their /64 (one subscriber's addresses, which change): as a block of
    # them holds it, and as rate limits and reports count them.
    network = ipaddress.ip_network(sender(value)) if kind == "ip" else None

    def of_sender(queryset):
        return _of_sender(queryset, kind, value)

    if request.method == "POST":
        if not model_admin.has_moderate_permission(request):
            raise PermissionDenied
        kept = _act(request, model_admin, kind, value)
        if kept is None:
            return HttpResponseRedirect(request.get_full_path())
    else:
        kept = {}
    comments = of_sender(Comment.objects.select_related("article")).order_by("-created_at")
    counts = dict(comments.values_list("status").annotate(n=Count("pk")).order_by())
    shown = list(
        comments.defer("article__body", "article__body_text", "article__search_vector")[:SHOWN]
    )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": f"Commenter: {network or value}",
        "kind": kind,
        "value": value,
        # What the page covers, when more than the address it was opened with.
        "network": network if network and network.num_addresses > 1 else None,
        "comments": shown,
        # With what is typed here: one of them erased since, its address stays out of it.
        "on_page": " ".join(str(comment.pk) for comment in shown),
        "shown": SHOWN,
        "counts": [(label, counts.get(status, 0)) for status, label in Comment.Status.choices],
        # "All" are the waiting ones on this page, in the words shown: decide_sender.
        "pending": [c for c in shown if c.status == Comment.Status.PENDING],
        "notes": [
            _with_shown(note) for note in of_sender(ModeratorNote.objects.select_related("author"))
        ],
        "blocks": Block.objects.matching(kind, value),
        "periods": [(key, words) for key, (words, _) in BLOCK_PERIODS.items()],
        "can_moderate": model_admin.has_moderate_permission(request),
        # A comment opened from here leads on, once decided, to this sender's next one (the
        # queue's search finds an address typed whole), not to another sender's.
        "from_list": urlencode({"_changelist_filters": urlencode({"q": network or value})}),
        # What the moderator typed, back in its box when their press did nothing.
        "kept": kept,
    }
    return TemplateResponse(request, "admin/comments/commenter.html", context)


def _of_sender(queryset, kind: str, value: str):
    if kind == "email":
        return queryset.filter(email=value)
    return from_network(queryset, ipaddress.ip_network(sender(value)))


def _with_shown(note: ModeratorNote) -> ModeratorNote:
    note.shown = note_as_shown(note)  # its words as shown, for edit_note
    return note


def _act(request, model_admin, kind, value) -> dict | None:
    """Do what the moderator pressed. None when done; else what they typed, to show again."""
    post = request.POST
    sender = {kind: value}
    action = post.get("action")
    try:
        if action == "approve_all" and post.get("reason", "").strip():
            # Enter in the reason box presses the form's first button, Approve all: words
            # typed for a rejection never publish the comments.
            model_admin.message_user(request, TYPED_FOR_REJECT_ALL, messages.ERROR)
            return {"reason": post["reason"]}
        if action in ("approve_all", "reject_all", "spam_all"):
            status = DECISIONS[action.removesuffix("_all")][0]
            reason = post.get("reason", "") if status == Comment.Status.REJECTED else ""
            started = timezone.now()
            result = decide_sender(
                status=status,
                by=request.user,
                reason=reason,
                seen=seen_revisions(post),
                on_page=_on_page(post),
                **sender,
            )
            words = decision_words(status, reason.strip())
            text = sentence(f"{counted(result.decided, 'pending comment')} from {value}: {words}")
            model_admin.message_user(request, text, messages.SUCCESS)
            if result.lost:
                others = decided_by_others(seen_revisions(post), by=request.user, since=started)
                model_admin.message_user(
                    request,
                    f"{result.lost} of them had been decided meanwhile"
                    + (f" ({others})" if others else "")
                    + f" and {left_alone(result.lost)}.",
                    messages.WARNING,
                )
            tell_left_waiting(model_admin, request, result, waiting=waiting_under_unpublished)
        elif action == "note":
            add_note(by=request.user, text=post.get("text", ""), on_page=_on_page(post), **sender)
            model_admin.message_user(request, "Note added.", messages.SUCCESS)
        elif action in ("edit_note", "delete_note"):
            return _on_note(request, model_admin, kind, value)
        elif action == "block":
            return _block(request, model_admin, kind, value)
        elif action == "lift":
            # Only a block of the address on this page: the form names it by id.
            block = Block.objects.matching(kind, value).filter(pk=_number(post, "block")).first()
            if block and lift_block(block=block, by=request.user):
                model_admin.message_user(request, f"Block of {block.shown_value} lifted.")
            else:
                model_admin.message_user(request, not_lifted(block), messages.WARNING)
        else:
            model_admin.message_user(request, "Nothing to do.", messages.WARNING)
    except NamesErased as exc:
        model_admin.message_user(request, " ".join(exc.messages), messages.ERROR)
        return _typed(post, action, words=exc.kept)
    except ValidationError as exc:
        said = " ".join(exc.messages)
        if action == "note" and not post.get("text", "").strip():
            said = "Write the note in its box before pressing “Add note”."
        elif action == "edit_note" and not post.get("text", "").strip():
            said = "A note needs words: to take it away, press “Delete the note”."
        model_admin.message_user(request, said, messages.ERROR)
        return _typed(post, action)


def _typed(post, action, words: str | None = None) -> dict:
    """What the moderator typed for the press refused, back in its box (a note longer than the
    limit, a reason refused), never lost to a redirect; `words` instead, when some of it may
    not be kept (NamesErased)."""
    if action == "block":
        reason = post.get("reason", "") if words is None else words
        return {"period": post.get("period", ""), "block_reason": reason}
    text = post.get("text", "") if words is None else words
    if action == "note":
        return {"note": text}
    if action == "edit_note":
        return {"edited_note": _number(post, "note"), "edited_text": text}
    return {"reason": post.get("reason", "") if words is None else words}


def _on_page(post) -> list[int]:
    """The comments the page showed (erased or deleted since: refuse_erased)."""
    return posted_ids(post.get("on_page", "").split()[:SHOWN])


def _on_note(request, model_admin, kind, value) -> dict | None:
    """Edit or delete a note, only one on this page (the form names it by id)."""
    post = request.POST
    notes = _of_sender(ModeratorNote.objects.all(), kind, value)
    note = notes.filter(pk=_number(post, "note")).first()
    if post["action"] == "delete_note":
        if note and delete_note(note=note, by=request.user):
            model_admin.message_user(request, "Note deleted.", messages.SUCCESS)
        else:
            model_admin.message_user(request, NOTE_GONE, messages.WARNING)
        return None
    text = post.get("text", "")
    shown = post.get("shown", "")
    if note and edit_note(
        note=note, by=request.user, text=text, shown=shown, on_page=_on_page(post)
    ):
        model_admin.message_user(request, "Note saved.", messages.SUCCESS)
        return None
    row = ModeratorNote.objects.filter(pk=note.pk) if note else ModeratorNote.objects.none()
    gone = not row.exists()
    erased = not gone and row.filter(text=NAMED_ERASED).exists()  # an erase, not a moderator
    said = NOTE_GONE if gone else NOTE_ERASED if erased else NOTE_CHANGED
    model_admin.message_user(request, said, messages.WARNING)
    return None if gone else _typed(post, "edit_note")


NOTE_GONE = "That note was deleted meanwhile (or is not on this page): nothing was changed."
NOTE_ERASED = (
    "That note was erased meanwhile, at the request of the commenter it named: yours was not "
    "saved. Your words are back in its box, to save again in its place if they still hold."
)
NOTE_CHANGED = (
    "That note was changed by another moderator meanwhile: yours was not saved. Read theirs "
    "above; your words are back in its box, to save again in its place."
)


def not_lifted(block: Block | None) -> str:
    """Why Lift lifted nothing. A block replaced since (another period set, by anyone) is over,
    but the sender is not free: the newer block holds, and is named, with the page that lifts
    it."""
    newer = None
    if block is not None:
        values = [block.value]
        if block.kind == Block.Kind.IP:
            with contextlib.suppress(ValueError):  # one IPv6 address's block: its /64's now
                values.append(sender(block.value))
        holding = Block.objects.active().filter(kind=block.kind, value__in=values)
        newer = holding.exclude(pk=block.pk).select_related("created_by").first()
    if newer is None:
        return "That block was over already."
    who = newer.created_by.get_username() if newer.created_by else "a moderator"
    return format_html(
        'That block was replaced by a newer one, which holds: {}, set by {}. <a href="{}">Lift '
        "that one</a> to let the sender comment again.",
        newer,
        who,
        reverse("admin:comments_block_change", args=[newer.pk]),
    )


def _block(request, model_admin, kind, value) -> dict | None:
    post = request.POST
    # The blocks in force the page showed: one set since by someone else is not replaced
    # unseen. (A post without the field, from a page drawn before it was added: as before.)
    shown = post.getlist("shown_block") if "blocks_shown" in post else None
    try:
        block = block_sender(
            kind=kind,
            value=value,
            period=post.get("period", ""),
            by=request.user,
            reason=post.get("reason", ""),
            shown=None if shown is None else posted_ids(shown),
            on_page=_on_page(post),
        )
    except BlockedMeanwhile as exc:
        theirs = exc.block
        who = theirs.created_by.get_username() if theirs.created_by else "another moderator"
        why = f" ({theirs.reason})" if theirs.reason else ""
        model_admin.message_user(
            request,
            f"Blocked meanwhile by {who}: {theirs}{why}. Yours was not set, so theirs is not "
            "replaced: to replace it, press Block again.",
            messages.WARNING,
        )
        return _typed(post, "block")
    model_admin.message_user(request, f"{block}.", messages.SUCCESS)
    return None
