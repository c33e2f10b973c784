"""The moderator's desk: preset reasons, readers' reports, blocks, notes."""

import ipaddress
from collections import defaultdict

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from comments.models.comment import ERASED_PREFIX, Comment, ModerationPolicy
from comments.ratelimit import sender
from newsportal.formats import newsroom_time


class RejectionReason(models.Model):
    """A preset reason a moderator sends with one key (d then its number), kept with the
    policy. No database constraint to the policy row: the policy is only written when staff
    save it, while the presets exist from the first migration on."""

    policy = models.ForeignKey(
        ModerationPolicy,
        on_delete=models.CASCADE,
        db_constraint=False,
        default=1,
        related_name="rejection_reasons",
    )
    label = models.CharField(max_length=40, help_text="What the moderator sees, e.g. Off-topic.")
    text = models.CharField(
        max_length=300, help_text="What the commenter reads as the moderator's reason."
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "preset rejection reason"

    def __str__(self):
        return self.label

    @property
    def described(self) -> str:
        """The label with what the commenter reads, said once: the presets we ship begin their
        text with their label ("Off-topic: comments need ..."): "Off-topic: Off-topic: ..."."""
        if self.text.casefold().startswith(f"{self.label}:".casefold()):
            return self.text
        return f"{self.label}: {self.text}"


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)

    def close(self, *, by, outcome: str, now=None) -> int:
        """Close the open ones among these with the moderator's outcome; how many were open."""
        return self.open().update(
            resolved_at=now or timezone.now(), resolved_by=by, outcome=outcome
        )


class Report(models.Model):
    """A reader's report of a published comment. One per reader (their address) and comment:
    reporting twice counts once."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        ABUSE = "abuse", "Abusive or hateful"
        OFF_TOPIC = "off-topic", "Off-topic"
        OTHER = "other", "Something else"

    class Outcome(models.TextChoices):
        DISMISSED = "dismissed", "Dismissed"
        TAKEN_DOWN = "taken-down", "Taken down"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    text = models.CharField("details", max_length=500, blank=True)
    # A keyed hash of the reader's address (its /64 for IPv6): enough to count once, not to
    # identify anyone.
    reporter = models.CharField(max_length=64)
    # The same of the network a policy's threshold counts once (an IPv6 reader's /48, which
    # one person may hold whole; an IPv4 reader's address): several readers of it each have
    # their report taken, but take a comment off the page only as one. Empty on reports made
    # before it was kept, and on those the release before writes on this schema (db_default,
    # `make reload MIGRATE=1`): those count by their reader, as then.
    reporter_network = models.CharField(
        max_length=64, blank=True, default="", db_default="", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="report_once_per_reader")
        ]
        indexes = [
            models.Index(
                fields=["comment"], condition=Q(resolved_at__isnull=True), name="report_open_idx"
            )
        ]

    def __str__(self):
        return f"Report of comment {self.comment_id}: {self.get_reason_display()}"


def keyed_hashes(salt: str, value: str, **kwargs) -> list[str]:
    """The value's salted_hmac under SECRET_KEY (as stored now), then under each of
    SECRET_KEY_FALLBACKS, to match with `__in`: a hash stored under the key before a rotation
    cannot be re-keyed (only the hash was kept), so it matches while that key stays a fallback,
    or is listed in SECRET_KEYS_HASH_ONLY after a leak (a hash is only compared, never believed
    as a signature). The rotation operators already follow (deploy/README.md), not a second
    secret that would need backing up and rotating the same way."""
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS, *settings.SECRET_KEYS_HASH_ONLY]
    return [salted_hmac(salt, value, secret=key, **kwargs).hexdigest() for key in keys]


def erased_emails(email: str) -> list[str]:
    """How a block, or an owner's stop of all mail, keeps an address its owner had erased: a
    keyed hash, so it still knows the address when it comes back, while no row says it in
    clear. The first is how an erase stores it now; any of them is the address."""
    digests = keyed_hashes("comments.block", email.strip().lower(), algorithm="sha256")
    return [ERASED_PREFIX + digest for digest in digests]


def erased_email(email: str) -> str:
    return erased_emails(email)[0]


def _ip_values(ip: str) -> list[str]:
    """How a block names this address: an IPv6 sender by its /64, as the rate limits count it
    (blocks made before named the one address)."""
    try:
        return [ip.lower(), sender(ip)]
    except ValueError:
        return [ip.lower()]


def _block_values(kind: str, value: str) -> list[str]:
    """Every value a block of this address may hold: an e-mail address lowercased, or as the
    keyed hash an erase keeps it as; an IP address as itself, or an IPv6 sender's /64."""
    if kind == Block.Kind.EMAIL:
        return [value.lower(), *erased_emails(value)]
    return _ip_values(value)


def _within(address: str, network) -> bool:
    try:
        return ipaddress.ip_address(address) in network
    except ValueError:
        return False


class BlockQuerySet(models.QuerySet):
    def active(self):
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))

    def matching(self, kind: str, value: str):
        """The blocks of this address, also once it was erased (kept as a keyed hash)."""
        return self.filter(kind=kind, value__in=_block_values(kind, value))

    def matching_each(self, senders) -> dict[tuple[str, str], list["Block"]]:
        """matching() for many (kind, address) pairs in one query (the queue's fifty cards):
        {(kind, address as given): its blocks}, the pairs nothing blocks left out."""
        held_by = defaultdict(set)  # (kind, value a block holds): the addresses it names
        for kind, address in senders:
            for value in _block_values(kind, address):
                held_by[kind, value].add(address)
        if not held_by:
            return {}
        match = Q()
        for kind in sorted({kind for kind, _ in held_by}):
            match |= Q(kind=kind, value__in=[value for k, value in held_by if k == kind])
        found = defaultdict(list)
        for block in self.filter(match):
            for address in held_by[block.kind, block.value]:
                found[block.kind, address].append(block)
        return found

    def of_sender(self, kind: str, value: str):
        """matching(), and the blocks made before of one address of an IPv6 sender's /64 (each
        holds that address only, but a new block of the sender takes its place)."""
        values = _ip_values(value)
        if kind == Block.Kind.EMAIL or len(values) < 2 or values[0] == values[1]:
            return self.matching(kind, value)
        network = ipaddress.ip_network(values[1])
        ipv6 = self.filter(kind=kind, value__contains=":").exclude(value__contains="/")
        earlier = [pk for pk, one in ipv6.values_list("pk", "value") if _within(one, network)]
        return self.matching(kind, value) | self.filter(pk__in=earlier)

    def reasons_against(self, *, email: str, ip: str | None) -> list[str]:
        """Why the active blocks send this sender's comment to spam (one query)."""
        match = Q(kind=Block.Kind.EMAIL, value__in=_block_values(Block.Kind.EMAIL, email))
        if ip:
            match |= Q(kind=Block.Kind.IP, value__in=_block_values(Block.Kind.IP, ip))
        kinds = set(self.active().filter(match).values_list("kind", flat=True))
        return [block_reason(kind) for kind in sorted(kinds)]


def block_reason(kind: str) -> str:
    """Why a moderator's block sent a comment to spam, as moderators read it."""
    return f"{Block.Kind(kind).label} blocked by a moderator"


class Block(models.Model):
    """An e-mail address or IP address whose comments go straight to spam, until it expires
    (or for good). Added from a commenter's page; it feeds the screen next to the policy's
    block lists."""

    class Kind(models.TextChoices):
        EMAIL = "email", "E-mail address"
        IP = "ip", "IP address"

    kind = models.CharField(max_length=5, choices=Kind.choices)
    value = models.CharField(max_length=254)
    reason = models.CharField(max_length=300, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: for good.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = BlockQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "value"], name="block_lookup_idx")]

    def __str__(self):
        who = f"{self.get_kind_display()} {self.shown_value}"
        if self.expires_at is None:
            return f"{who} blocked for good"
        until = newsroom_time(self.expires_at)
        # What the admin's "Recent actions" names: a lifted block must not read as a block.
        if self.expires_at <= timezone.now():
            return f"{who}: block ended {until}"
        return f"{who} blocked until {until}"

    @property
    def shown_value(self) -> str:
        if self.value.startswith(ERASED_PREFIX):
            return "(erased at its owner's request)"
        return self.value

    @property
    def is_active(self) -> bool:
        return self.expires_at is None or self.expires_at > timezone.now()


class ModeratorNote(models.Model):
    """What one moderator wants the next to know about a commenter (by e-mail or IP)."""

    email = models.EmailField("e-mail", blank=True)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    text = models.TextField(max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["email"], name="note_email_idx"),
            models.Index(fields=["ip_address"], name="note_ip_idx"),
        ]

    def __str__(self):
        return f"Note on {self.email or self.ip_address}"
