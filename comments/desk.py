"""Write paths of the moderator's desk: readers' reports, what moderators do about them, and
what they do about a commenter (blocks, notes, all their pending comments at once).

Like the decisions in comments.services: keyword-only arguments, conditional UPDATEs where two
moderators could act at once, purges of what readers see, and a LogEntry for every act.
"""

import ipaddress
from datetime import timedelta

from django.contrib.admin.models import ADDITION, DELETION
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from articles.meanwhile import fingerprint
from comments.audit import record
from comments.erased_named import LEFT_OUT, NAMED_ERASED, refuse_erased
from comments.models import Block, Comment, ModerationPolicy, ModeratorNote, Report, keyed_hashes
from comments.moderator_mail import notify_moderators_on_commit
from comments.querysets import UNPICKED
from comments.ratelimit import sender, sender_network
from comments.services import (
    HIDDEN_BY_REPORTS,
    HIDDEN_BY_REPORTS_START,
    decide,
    move_approved_counts,
    take_down,
    take_down_replies,
)
from comments.typed_reasons import clean_reason


def reporter_keys(ip: str | None) -> list[str]:
    """Who reported, as a keyed hash of the address (its /64 for IPv6): counts a reader once
    without keeping their address. The first is stored; the others, under the keys before a
    rotation, still find a report made then."""
    return keyed_hashes("comments.report", sender(ip) if ip else "unknown")


def reporter_network_keys(ip: str | None) -> list[str]:
    """The network a reader reports from, kept as reporter_keys() keeps the reader: an IPv6
    reader's /48 (anyone can have one whole, for free: comments.ratelimit.NETWORK_FACTOR),
    else the reader's own key, so an IPv4 address counts alone, as before."""
    network = sender_network(ip) if ip else None
    return keyed_hashes("comments.report", network) if network else reporter_keys(ip)


def report_comment(*, comment: Comment, reason: str, text: str = "", ip: str | None) -> bool:
    """Record a reader's report. False when this reader had reported it already (it counts
    once). With the policy's threshold reached (readers of one IPv6 /48 counting once), the
    comment leaves the page until a moderator decides: it goes back to the pending queue,
    saying why."""
    reporter, *before = reporter_keys(ip)
    if before and comment.reports.filter(reporter__in=before).exists():
        return False
    network, *network_before = reporter_network_keys(ip)
    if network_before:
        # Reported from this network under the key before a rotation: still the same one.
        kept = comment.reports.filter(reporter_network__in=network_before)
        network = kept.values_list("reporter_network", flat=True).first() or network
    report = Report(
        comment=comment,
        reason=reason,
        text=text.strip(),
        reporter=reporter,
        reporter_network=network,
    )
    report.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        return False
    limit = ModerationPolicy.current().hide_after_reports
    if limit and comment.status == Comment.Status.APPROVED:
        _hide_if_reported(comment, limit)
    return True


def _hide_if_reported(comment: Comment, limit: int) -> None:
    with transaction.atomic():
        reports = Report.objects.open().filter(comment=comment)
        network = Coalesce(NullIf("reporter_network", Value("")), "reporter")
        networks = reports.aggregate(n=Count(network, distinct=True))["n"]
        if networks < limit:
            return
        count = reports.count()  # what moderators read, each reader's report listed
        hidden = Comment.objects.filter(pk=comment.pk, status=Comment.Status.APPROVED).update(
            status=Comment.Status.PENDING,
            held_because=[*comment.held_because, HIDDEN_BY_REPORTS.format(n=count)],
            **UNPICKED,  # readers' reports took it off the page: no longer a pick
        )
        if hidden:
            # Its published replies leave the page with it (they hang under it), so they leave
            # the count too; they come back with it.
            move_approved_counts({comment.article_id: -1 - _approved_replies(comment).count()})
            notify_moderators_on_commit()  # waiting for a decision, as a new comment does


def _approved_replies(comment: Comment):
    return Comment.objects.filter(parent_id=comment.pk, status=Comment.Status.APPROVED)


def hidden_by_reports(comment: Comment) -> bool:
    return comment.status == Comment.Status.PENDING and any(
        reason.startswith(HIDDEN_BY_REPORTS_START) for reason in comment.held_because
    )


def dismiss_reports(*, comment: Comment, by, seen: dict[int, int] | None = None) -> int:
    """The reports were wrong: close them, and put a comment they hid back on the page.
    Returns how many open reports were closed (0: someone else got there first). `seen` as
    for take_down_reported: words edited since raise EditedMeanwhile, nothing done."""
    with transaction.atomic():
        # Its row first, as a Take down takes it (with its thread, in pk order): one pressed
        # meanwhile by another moderator waits, then finds the reports answered, and this waits
        # for one pressed before. Without it both landed: down, with its reports dismissed.
        family = Q(pk=comment.pk) | Q(parent_id=comment.pk) | Q(pk=comment.parent_id)
        Comment.objects.filter(family).lock_rows()
        if seen is not None:
            # Read under the lock: an edit landing now is never put back up unread.
            row = Comment.objects.filter(pk=comment.pk).values_list("revision", flat=True)
            if list(row) != [seen.get(comment.pk)]:
                raise EditedMeanwhile(comment.pk)
        closed = comment.reports.close(by=by, outcome=Report.Outcome.DISMISSED)
        if closed:
            record(by, [comment], f"Dismissed {closed} report{'' if closed == 1 else 's'}")
            comment = Comment.objects.get(pk=comment.pk)  # as it is now, under the lock
            if hidden_by_reports(comment):
                # Its published replies come back with it (decide counts them again).
                decide([comment], status=Comment.Status.APPROVED, by=by)
    return closed


class EditedMeanwhile(Exception):
    """Its author edited the comment after the moderator's page showed it: nothing was done."""


def take_down_reported(
    *, comment: Comment, by, reason: str = "", seen: dict[int, int] | None = None, on_page=()
) -> bool | None:
    """The reports were right: the comment comes off the page (or, back in the queue because
    its reports hid it or its author edited it, stays off as rejected) and its reports are
    closed. False when it was not up or waiting any more; None when its reports had been
    dealt with meanwhile (another moderator dismissed them: theirs stands). `seen`
    ({pk: revision}, as for `decide`): words edited since, or never shown, raise
    EditedMeanwhile with nothing done, read under the comment's row lock. A reason refused
    (comments.typed_reasons; `on_page`, the comments the page showed): nothing done."""
    reason = clean_reason(reason, on_page=on_page)
    with transaction.atomic():
        # Read under its row lock, as a Dismiss takes it: one pressed meanwhile has answered
        # the reports by the time this reads them.
        row = Comment.objects.select_for_update(of=("self",)).filter(pk=comment.pk)
        row = list(row.values_list("revision", "status"))
        if seen is not None and [revision for revision, _ in row] != [seen.get(comment.pk)]:
            raise EditedMeanwhile(comment.pk)
        if not comment.reports.open().exists():
            return None
        # Where it is now (hidden by a report since the page was read: waiting).
        if row and row[0][1] == Comment.Status.PENDING:
            done = decide([comment], status=Comment.Status.REJECTED, by=by, reason=reason).decided
            if done:
                # Its replies left the page and the count with it: now for good.
                take_down_replies(_approved_replies(comment), by=by, now=timezone.now())
        else:
            done = take_down([comment], by=by, reason=reason) > 0
        if comment.reports.close(by=by, outcome=Report.Outcome.TAKEN_DOWN) and not done:
            record(by, [comment], "Reports closed: the comment was already down")
    return bool(done)


BLOCK_PERIODS = {
    "1": ("for a day", timedelta(days=1)),
    "7": ("for a week", timedelta(days=7)),
    "30": ("for 30 days", timedelta(days=30)),
    "forever": ("for good", None),
}


class BlockedMeanwhile(Exception):
    """Another moderator blocked the sender after this one's page was drawn: theirs stands."""

    def __init__(self, block: Block):
        super().__init__(str(block))
        self.block = block


def block_sender(
    *, kind: str, value: str, period: str, by, reason: str = "", shown=None, on_page=()
) -> Block:
    """Send an e-mail address's or IP address's next comments straight to spam, for a period
    or for good (comments.screening reads the active blocks).

    `shown`: the ids of the sender's blocks in force that the moderator's page showed. A block
    set since, by another moderator, is not replaced unseen ("for a day" over their "for
    good"): BlockedMeanwhile, and nothing changes. A reason (or address) naming an address
    erased at its owner's request: NamesErased (refuse_erased; `on_page`, the comments the
    page showed)."""
    if period not in BLOCK_PERIODS:
        raise ValidationError(f"Choose how long to block: {', '.join(BLOCK_PERIODS)}.")
    words, length = BLOCK_PERIODS[period]
    value = typed = value.strip().lower()
    if kind == Block.Kind.IP:
        try:
            value = sender(value)  # an IPv6 sender's whole /64, as the rate limits count it
        except ValueError:
            raise ValidationError(f"{value} is not an IP address.") from None
    now = timezone.now()
    block = Block(
        kind=kind,
        value=value,
        reason=reason.strip(),
        created_by=by,
        expires_at=now + length if length else None,
    )
    block.full_clean()
    refuse_erased(block.reason, also=[typed] if kind == Block.Kind.EMAIL else [], on_page=on_page)
    with transaction.atomic():
        # The new period replaces an earlier block of the same sender: "for a day" after "for
        # good" shortens it (lifting the new block then lifts the sender's block).
        # (A block made before named one IPv6 address, not its /64: any of the sender's.)
        earlier = Block.objects.active().of_sender(kind, typed)
        replaced = list(earlier.select_for_update())
        if shown is not None:
            # What the page listed (matching(), not the single-address blocks of an IPv6
            # sender's /64 made before blocks named the /64, which no page shows).
            listed = Block.objects.matching(kind, typed).values_list("pk", flat=True)
            unseen = set(listed) - set(shown)
            for earlier_block in replaced:
                if earlier_block.pk in unseen:
                    raise BlockedMeanwhile(earlier_block)
        earlier.update(expires_at=now)
        block.save()
    for old in replaced:
        old.expires_at = now
        record(by, [old], f"Replaced by a block {words}")
    message = f"Blocked {value} {words}" + (f": {block.reason}" if block.reason else "")
    record(by, [block], message, flag=ADDITION)
    return block


def lift_block(*, block: Block, by) -> bool:
    now = timezone.now()
    lifted = Block.objects.active().filter(pk=block.pk).update(expires_at=now)
    if lifted:
        block.expires_at = now  # the log names it as it is now: ended
        record(by, [block], f"Lifted the block of {block.shown_value}")
    return bool(lifted)


def add_note(*, by, text: str, email: str = "", ip: str | None = None, on_page=()) -> ModeratorNote:
    """A note on an address. Naming one erased at its owner's request (on a page drawn before
    the erase: `on_page`, the comments it showed): NamesErased (refuse_erased)."""
    note = ModeratorNote(author=by, text=text.strip(), email=email.lower(), ip_address=ip or None)
    note.full_clean()
    refuse_erased(note.text, also=[note.email] if note.email else [], on_page=on_page)
    note.save()
    record(by, [note], "Added", flag=ADDITION)
    return note


def edit_note(*, note: ModeratorNote, by, text: str, shown: str, on_page=()) -> bool:
    """Correct a note. `shown`: the note's words as the moderator's page showed them
    (note_as_shown): changed since by another moderator or an erase, or deleted, nothing is
    written and False returned, so that a correction is never saved over another unread.
    Words naming an address erased at its owner's request: NamesErased (refuse_erased)."""
    edited = ModeratorNote(text=text.strip(), email=note.email, ip_address=note.ip_address)
    edited.full_clean(exclude=["author"])
    with transaction.atomic():
        row = ModeratorNote.objects.select_for_update().filter(pk=note.pk).first()
        if row is None:
            return False
        # An erase emptied it, or it was saved with the words given back without the address:
        # it named the address, which a correction would write again.
        cleaned = NAMED_ERASED in row.text or LEFT_OUT in row.text
        refuse_erased(edited.text, on_page=on_page, cleaned=cleaned)
        if note_as_shown(row) != shown:
            return False
        row.text = edited.text
        row.save(update_fields=["text"])
    record(by, [row], "Edited")
    return True


def delete_note(*, note: ModeratorNote, by) -> bool:
    """Delete a note (written on the wrong commenter, or no longer true). False: gone already."""
    deleted, _ = ModeratorNote.objects.filter(pk=note.pk).delete()
    if deleted:
        record(by, [note], "Deleted", flag=DELETION)
    return bool(deleted)


def note_as_shown(note: ModeratorNote) -> str:
    """What a page showing the note carries of its words, to tell whether they changed since:
    text as a browser posts it back (its line ends its own)."""
    return fingerprint(note.text)


def decide_sender(
    *,
    status: str,
    by,
    seen: dict[int, int],
    email: str = "",
    ip: str | None = None,
    reason="",
    on_page=(),
):
    """One commenter's pending comments (by e-mail, or by IP: an IPv6 sender's /64) at once:
    those the moderator was shown ({pk: revision}), as they were shown. One that came in or
    was edited since waits. `on_page`: the comments the page showed (decide)."""
    # Not only the pending ones: decide() counts those another moderator decided meanwhile.
    shown = Comment.objects.filter(pk__in=list(seen), withdrawn_at=None)
    if email:
        shown = shown.filter(email=email.lower())
    else:
        network = ipaddress.ip_network(sender(ip))
        rows = shown.filter(ip_address__isnull=False).values_list("pk", "ip_address")
        shown = shown.filter(pk__in=[pk for pk, at in rows if ipaddress.ip_address(at) in network])
    return decide(shown, status=status, by=by, reason=reason, seen=seen, on_page=on_page)
