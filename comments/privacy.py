"""A commenter's data: a link mailed to export or erase everything written with an address (the
download itself: comments.export), and the retention rules cron runs (manage.py
prune_comments)."""

import re
from collections.abc import Sequence
from datetime import timedelta
from typing import NamedTuple

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Replace
from django.utils import timezone

from comments.batching import batches
from comments.deletion import delete_comments
from comments.erased_named import whole_address
from comments.erased_words import erase_where_named, reasons_naming
from comments.forgetting import PRIVACY_MAIL_MINUTES, forget_addresses, keep_only_the_stops
from comments.letters import ASKED_BY_OWNER
from comments.links import PRIVACY_DAYS, address_marks
from comments.models import (
    Block,
    Comment,
    CommenterAddress,
    ModerationPolicy,
    ModeratorNote,
    erased_email,
)
from comments.notifications import claim_for_mailbox, queue_mail
from comments.policy_services import update_policy
from comments.ratelimit import forget_deleted, note_deleted, note_erased
from comments.withdrawal import withdraw_comment, withdraw_comments

ERASED = "(erased at its author's request)"
# Where a moderator's own words named the commenter.
ERASED_NAME = "[name erased]"
# Asks about one inbox a day, from the privacy page or a status page (comments.privacy_views).
PRIVACY_ASKS_PER_DAY = 5


def request_privacy_link(*, email: str, action: str, by_owner: bool = False) -> bool:
    """Mail a link to export or erase every comment written with this address, to that
    address only (so only its owner can follow it): at most one every PRIVACY_MAIL_MINUTES
    per address. Nothing is mailed for an address without comments, nor to one whose owner
    stopped all mail, unless the owner asks (`by_owner`: from the status page of a comment they
    vouched for, or from the stop link mailed to the address); the caller's answer is the same
    either way, so nobody learns who commented. Returns whether a mail was queued."""
    email = email.strip().lower()
    known = Comment.objects.filter(email=email).exists()
    # An address mail was asked for is on record too (its owner may have deleted every comment).
    if not known and not CommenterAddress.objects.filter(email=email).exists():
        return False
    if not by_owner and CommenterAddress.objects.stopped(email).exists():
        return False
    with transaction.atomic():
        address = CommenterAddress.objects.claim(email)
        if not _claim_privacy_mail(address, timezone.now()):
            return False
        queue_mail(f"privacy-{action}", address.pk, ASKED_BY_OWNER if by_owner else "")
    return True


def _claim_privacy_mail(address: CommenterAddress, now) -> bool:
    """As for confirmation mails (comments.notifications.claim_for_mailbox): of two asks at
    once one mails, and the limit counts the mailbox, not the spelling of its address. In the
    database, not the cache: with Redis away (or evicting the key) anyone could have the site
    mail a commenter's address over and over."""
    since = now - timedelta(minutes=PRIVACY_MAIL_MINUTES)
    return claim_for_mailbox(address, "privacy_mail_sent_at", since=since, now=now)


def delete_own_comment(*, comment: Comment, pressed_in: str = "") -> bool:
    """Its author deletes a comment (from its status page): off the pages and the counts, and
    out of our records as the page promises. The moderators' log keeps what was done to it, not
    the name; an address left with no comment is forgotten (what mail it wanted, confirmed),
    unless its owner must be kept from mail (_forget_addresses). pressed_in: the browser's
    key (comments.ratelimit.delete_key), under which its next press finds it deleted there.
    False: gone already, by an earlier press or another way (withdraw_comment)."""
    noted = ""
    try:
        with transaction.atomic():
            if not withdraw_comment(comment=comment):
                return False
            # Before the commit, not after: a second press of the same browser, waiting on
            # the row's lock, reads it as soon as it has the lock (and finds the row gone).
            noted = pressed_in
            note_deleted(noted, article_id=comment.article_id)
            names = {comment.name} if comment.name else set()
            _forget_in_admin_log(None, names, {Comment: [comment.pk]})
            # The address after its comment (comments.forgetting's lock order).
            forget_addresses(timezone.now(), email=comment.email)
    except BaseException:
        forget_deleted(noted)  # not deleted after all (its commit too): its next press deletes
        raise
    return True


def erase_comments(*, email: str, pressed_in: str = "") -> int:
    """Erase everything written with this address: comments deleted (or emptied where replies
    hang on them), their versions and subscriptions, moderators' notes on the address and the
    address itself, and the names signed under them wherever moderators wrote them down about
    these. Returns how many comments went. pressed_in: the link's key
    (comments.ratelimit.erase_key), under which its next press finds what this one erased."""
    noted = ""
    try:
        with transaction.atomic():
            count = _erase(email)
            # Before the commit: a second press waiting on these rows' locks finds it at once.
            noted = pressed_in if note_erased(pressed_in, count=count) else ""
    except BaseException:
        forget_deleted(noted)  # not erased after all (its commit too): its next press erases
        raise
    return count


def written_with_since(mark: str) -> bool:
    """Whether a comment carries the address a privacy link's mark names (links.address_marks),
    as an erase matches it (the whole address), once the link's address row is gone (erased, or
    forgotten with no comment left): only one written since, so within the link's
    PRIVACY_DAYS. Each address written with lately is hashed: the rare press of a spent link
    while the cache is away (comments.privacy_views), a few thousand hashes at most."""
    since = timezone.now() - timedelta(days=PRIVACY_DAYS)
    lately = Comment.objects.filter(created_at__gte=since).exclude(email="")
    emails = lately.order_by().values_list("email", flat=True).distinct()
    return any(mark in address_marks(email) for email in emails.iterator())


def _erase(email: str) -> int:
    with transaction.atomic():
        # Another commenter's comment whose reason names the address is locked with hers, in
        # one pk order (the lock order): one taken after them could wait, crosswise, on a
        # moderator holding it and one of hers.
        reasons = reasons_naming(email)
        ids = _lock_written_with(email, also=reasons)
        names = set()
        for batch in batches(ids):
            written = Comment.objects.filter(pk__in=batch).exclude(name="")
            names.update(written.values_list("name", flat=True))
        count = withdraw_comments(ids)
        notes = ModeratorNote.objects.filter(email=email)
        blocks = Block.objects.filter(kind=Block.Kind.EMAIL, value=email)
        _forget_in_admin_log(
            email,
            names,
            {
                Comment: ids,
                ModeratorNote: list(notes.values_list("pk", flat=True)),
                Block: list(blocks.values_list("pk", flat=True)),
            },
        )
        notes.delete()
        # A block outlives the erase (its owner cannot lift it by erasing), as a keyed hash.
        kept = list(blocks)
        for block in kept:
            block.value, block.reason = erased_email(email), _without_names(block.reason, names)
        Block.objects.bulk_update(kept, ["value", "reason"])
        erase_where_named(email, reasons)
        _hash_in_policy(email)
        _forget_address(email)  # the address last (comments.forgetting's lock order)
    return count


class _WrittenBelow(Exception):
    """A comment with the address came in while the erase waited, an earlier row than one the
    erase holds."""


# Rounds of reading the address's comments again once they are locked, and of letting them go
# to take them again (_lock_written_with): each needs a comment with the address saved while
# the erase waited on a lock.
LOCK_ROUNDS = 5


def _lock_written_with(email: str, *, also: Sequence[int] = ()) -> list[int]:
    """The comments written with this address, locked in pk order and read again once locked:
    one saved while the locks waited (the owner's reply holds the comment it answers until it
    commits, and the erase waits for it) goes too, not left with the address in clear. One
    after every row held is locked next, the pk order kept; one before a row held lets them
    all go (the savepoint's rollback) and takes them all again in one pk order: a moderator's
    delete of these rows takes them in that order and would meet the erase crosswise. Their
    ids (the withdrawal locks them again: held already). `also`: other comments locked with
    them in the same pk order."""
    for _ in range(LOCK_ROUNDS - 1):
        try:
            with transaction.atomic():
                return _lock_until_none_came(email, also, rounds=LOCK_ROUNDS)
        except _WrittenBelow:
            continue
    return _lock_until_none_came(email, also, rounds=1)  # as it stands, not read again


def _lock_until_none_came(email: str, also: Sequence[int], *, rounds: int) -> list[int]:
    written = Comment.objects.filter(email=email)
    locked: list[int] = []
    hers: set[int] = set()
    for _ in range(rounds):
        held = set(locked)
        hers.update(written.values_list("pk", flat=True))
        came = sorted({*hers, *also} - held)
        if not came:
            break
        if locked and came[0] < locked[-1]:
            raise _WrittenBelow
        for batch in batches(came):  # in pk order across the batches, as one statement
            locked += Comment.objects.filter(pk__in=batch).lock_rows()
    return [pk for pk in locked if pk in hers]


def _forget_address(email: str) -> None:
    """The address goes, unless its owner stopped all mail: then the stop outlives the erase,
    under a keyed hash of the address with nothing else kept, so that a stranger who types the
    address again cannot have it mailed (CommenterAddress.objects.claim takes the row back)."""
    address = CommenterAddress.objects.filter(email=email).first()
    if address is None:
        return
    if address.mail_stopped_at is None:
        address.delete()
        return
    keep_only_the_stops([address])


def _hash_in_policy(email: str) -> None:
    """The policy's list of blocked addresses keeps an erased one as its keyed hash too. Read
    under its row's lock: a staffer's save landing between the read and the write would be
    undone (comments.policy_services)."""
    policy = ModerationPolicy.objects.select_for_update().filter(pk=1).first()
    if policy is None or email not in policy.lines(policy.blocked_emails):
        return
    lines = policy.blocked_emails.splitlines()
    policy.blocked_emails = "\n".join(
        erased_email(email) if line.strip().lower() == email else line for line in lines
    )
    update_policy(policy=policy)  # the cached policy goes too


def _without_names(text: str, names: set[str]) -> str:
    if not names or not text:
        return text
    # Longest first, whole words only: "Ann" must not eat into "Annual", nor "Maria" leave
    # "Lopez" of "Maria Lopez" behind.
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.sub(rf"(?<!\w)(?:{alternatives})(?!\w)", ERASED_NAME, text, flags=re.IGNORECASE)


def _forget_in_admin_log(email: str | None, names: set[str], objects: dict) -> None:
    """The moderators' log keeps what they did, not whom to: its entries about the erased
    comments, notes and blocks, and any naming the address, lose the name and the address,
    and the reasons moderators typed in them lose the commenter's names. A batch of entries
    a statement (comments.batching): a regular's erase names thousands."""
    naming = whole_address(email) if email else None
    found = set(_entries_naming(naming, email)) if naming else set()
    for model, pks in objects.items():
        content_type = ContentType.objects.get_for_model(model) if pks else None
        for batch in batches([str(pk) for pk in pks]):
            about = LogEntry.objects.filter(content_type=content_type, object_id__in=batch)
            found.update(about.values_list("pk", flat=True))
    for batch in batches(sorted(found)):
        entries = LogEntry.objects.filter(pk__in=batch)
        changed = list(entries.only("pk", "change_message"))
        for entry in changed:
            if naming and naming.search(entry.change_message):
                entry.change_message = ERASED
            else:
                entry.change_message = _without_names(entry.change_message, names)
        LogEntry.objects.bulk_update(changed, ["change_message"])
        entries.update(object_repr=ERASED)


def _entries_naming(naming: re.Pattern, email: str) -> list[int]:
    # The database finds the candidates; the pattern keeps those naming this address.
    mentions = LogEntry.objects.filter(
        Q(change_message__icontains=email) | Q(object_repr__icontains=email)
    ).values_list("pk", "change_message", "object_repr")
    return [pk for pk, said, name in mentions if naming.search(said) or naming.search(name)]


class Pruned(NamedTuple):
    deleted: int
    ips_cleared: int
    addresses_forgotten: int
    blocks_deleted: int
    notes_cleared: int
    sign_ins_deleted: int
    email_blocks_deleted: int


def prune_old_data(now=None) -> Pruned:
    """Retention: rejected and spam comments go COMMENTS_KEEP_REJECTED_DAYS after the decision
    (a take-down's, when one was approved first; their arrival, when screened; one published
    or waiting replies hang on is emptied into its placeholder instead), IP addresses
    COMMENTS_KEEP_IP_DAYS after arrival, and addresses left with no comment once nothing
    needs them (_forget_addresses). The other IP addresses we hold go after
    COMMENTS_KEEP_IP_DAYS too (_prune_other_ips); a block of an e-mail address
    COMMENTS_KEEP_REJECTED_DAYS after it ended, with the rejected comments that were its
    reason."""
    now = now or timezone.now()
    rejected_before = now - timedelta(days=settings.COMMENTS_KEEP_REJECTED_DAYS)
    old_rejects = Comment.objects.filter(
        status__in=[Comment.Status.REJECTED, Comment.Status.SPAM]
    ).filter(
        Q(taken_down_at__lt=rejected_before)
        | Q(taken_down_at=None, moderated_at__lt=rejected_before)
        | Q(taken_down_at=None, moderated_at=None, created_at__lt=rejected_before)
    )
    deleted = 0
    if old_rejects.exists():
        # One that published or waiting replies hang on is emptied, not deleted: its writer's
        # data goes, the replies under its placeholder stay (comments.deletion).
        deleted = delete_comments(old_rejects, still_matching=True, keep_places=True)
    ip_before = now - timedelta(days=settings.COMMENTS_KEEP_IP_DAYS)
    cleared = Comment.objects.filter(created_at__lt=ip_before, ip_address__isnull=False).update(
        ip_address=None
    )
    forgotten = forget_addresses(now)
    ips = _prune_other_ips(ip_before)
    with transaction.atomic():
        email_blocks = _delete_ended_blocks(Block.Kind.EMAIL, rejected_before, EMAIL_CLEARED)
    return Pruned(deleted, cleared, forgotten, *ips, email_blocks)


IP_CLEARED = "[IP address cleared]"
EMAIL_CLEARED = "[e-mail address cleared]"


def _delete_ended_blocks(kind: str, before, cleared: str) -> int:
    """Blocks of this kind that ended before `before` go (a block in force keeps its address,
    in clear or as an erased address's hash); the admin's log keeps who blocked and lifted
    them, and the reason, with `cleared` for the address. Returns how many went."""
    blocks = Block.objects.filter(kind=kind, expires_at__lt=before)
    name = f"{Block.Kind(kind).label} block {cleared}"
    _clear_in_admin_log(blocks, name, address_field="value", cleared=cleared)
    return blocks.delete()[0]


def _prune_other_ips(before) -> tuple[int, int, int]:
    """IP blocks that ended before `before` go (the admin's log keeps who blocked and lifted
    them, and the reason, without the address); so do notes on an IP address written before
    it, which say nothing once it is cleared (one also on an e-mail address loses the IP
    only). Staff sign-ins (django-axes' access log, and its failure log when turned on) go
    by its own API, counted from today; its lockout attempts it deletes itself, at the next
    sign-in after their cool-off. Returns how many blocks, notes and sign-ins went."""
    with transaction.atomic():
        blocks_deleted = _delete_ended_blocks(Block.Kind.IP, before, IP_CLEARED)
        notes = ModeratorNote.objects.filter(created_at__lt=before, ip_address__isnull=False)
        _clear_in_admin_log(notes.filter(email=""), "Note on an IP address " + IP_CLEARED)
        notes_cleared = notes.filter(email="").delete()[0] + notes.update(ip_address=None)
    days = settings.COMMENTS_KEEP_IP_DAYS
    sign_ins = AxesProxyHandler.reset_logs(age_days=days)
    sign_ins += AxesProxyHandler.reset_failure_logs(age_days=days)
    return blocks_deleted, notes_cleared, sign_ins


def _clear_in_admin_log(rows, name: str, address_field: str = "", cleared=IP_CLEARED) -> None:
    """The log entries about these rows name them `name`, and their messages say `cleared`
    for the row's address_field ("Blocked 203.0.113.7 for a day: …"), in one UPDATE."""
    keyed = rows.annotate(key=Cast("pk", CharField()))
    changes = {"object_repr": name}
    if address_field:
        address = keyed.filter(key=OuterRef("object_id")).values(address_field)[:1]
        changes["change_message"] = Replace("change_message", Subquery(address), Value(cleared))
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(rows.model),
        object_id__in=keyed.values("key"),
    ).update(**changes)
