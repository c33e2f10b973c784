"""A comment and the moderation policy that screens it."""

import contextlib
import ipaddress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from comments.querysets import CommentQuerySet
from newsportal.caching import SITE, cached

MAX_NAME_LENGTH = 80
MAX_BODY_LENGTH = 3000
# How the block lists keep an address erased at its owner's request: a keyed hash after this.
ERASED_PREFIX = "erased:"
# How a commenter's pages, mail and export name an article that is off the site.
ARTICLE_OFF_SITE = "an article no longer on the site"
# A reply to a comment readers may not answer, or one deleted as the reply was sent.
NOT_REPLIABLE = "You can only reply to a published comment."


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="comments"
    )
    # One level of replies: a reply answers an approved top-level comment (see clean()).
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    name = models.CharField(max_length=MAX_NAME_LENGTH)
    email = models.EmailField("e-mail", help_text="Never shown publicly.")
    body = models.TextField("comment", max_length=MAX_BODY_LENGTH)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # Why the screen flagged it (links, words, first-time commenter...): shown to moderators.
    held_because = models.JSONField(default=list, blank=True)
    rejection_reason = models.CharField(max_length=300, blank=True)
    notify_on_decision = models.BooleanField(default=False)
    # Its author showed they own its address (anyone may type one): the confirmation link,
    # "It is mine", an account with the address, or a browser or account that wrote a vouched
    # comment with it before. Mail about a comment goes only to a vouched one's address
    # (notifications.note_mail_wishes).
    owner_vouched = models.BooleanField(default=False, editable=False)
    # Anyone may type a reporter's name: the badge says it came from a signed-in staff account.
    from_newsroom = models.BooleanField("from the newsroom", default=False, editable=False)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(default=timezone.now)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    # A published comment taken down later keeps the record of who approved it and when.
    taken_down_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    taken_down_at = models.DateTimeField(null=True, blank=True)
    # Deleted by its author while replies hang on it: the row stays, emptied, as a placeholder.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Moved by every edit of its author: a moderator's decision names the revision they read,
    # so words written after they read it are never approved unseen (services.decide).
    revision = models.PositiveIntegerField(default=0, editable=False)

    # An editors' pick (comments.picks): shown above the comments while its words are the ones
    # the moderator picked (an edit since, re-approved or not, leaves it unpicked).
    picked_at = models.DateTimeField(null=True, blank=True, editable=False)
    picked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    picked_revision = models.PositiveIntegerField(null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        permissions = [("moderate_comment", "Can approve, reject and mark comments as spam")]
        indexes = [
            # The article page: approved comments of one article, oldest first.
            models.Index(
                fields=["article", "created_at"],
                condition=Q(status="approved"),
                name="comment_approved_idx",
            ),
            # The moderation queue: pending (or any status) oldest first.
            models.Index(fields=["status", "created_at"], name="comment_queue_idx"),
            # What waits (the queue's first page, its count, the index's "N waiting"), read
            # from the index alone: at 20,000 waiting a count of the status index visits every
            # row.
            models.Index(
                fields=["created_at", "id"],
                condition=Q(status="pending", withdrawn_at=None),
                name="comment_waiting_idx",
            ),
            # "Has this address had a comment approved before?" (screening).
            models.Index(
                fields=["email"], condition=Q(status="approved"), name="comment_known_email_idx"
            ),
            # A commenter's record in the queue: their comments by e-mail and by IP.
            models.Index(fields=["email", "status"], name="comment_sender_email_idx"),
            models.Index(fields=["ip_address", "status"], name="comment_sender_ip_idx"),
            # The admin's lists of every status, oldest first (the ordering), and the index
            # chart's comments received per day.
            models.Index(fields=["created_at", "id"], name="comment_received_idx"),
            # The index panel and chart: decisions per day, the median wait, what waited.
            models.Index(fields=["moderated_at"], name="comment_decided_idx"),
        ]

    def __str__(self):
        return f"Comment {self.pk} by {self.name}"

    def get_absolute_url(self):
        from comments.links import public_path

        return public_path(self)

    def clean_fields(self, exclude=None):
        try:
            super().clean_fields(exclude)
        except ValidationError as exc:
            if "parent" in exc.error_dict:  # deleted since the form read it: say it as the form
                exc.error_dict["parent"] = [ValidationError(NOT_REPLIABLE)]
            raise

    def clean(self):
        if self.parent_id is None:
            return
        parent = self.parent
        if (
            parent.article_id != self.article_id
            or parent.parent_id is not None
            or parent.status != self.Status.APPROVED
        ):
            raise ValidationError({"parent": NOT_REPLIABLE})

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def article_named(self) -> str:
        """How the commenter's pages and mail name the article: by its title while readers
        may see it, not once it is off the site (perhaps renamed under embargo or for a legal
        correction; anyone may post a comment and hold its status link)."""
        if self.article.is_public:
            return f"“{self.article.title}”"
        return ARTICLE_OFF_SITE

    @property
    def status_url(self) -> str:
        from comments.tokens import status_token

        return reverse("comments:status", args=[status_token(self)])


class ModerationPolicy(models.Model):
    """The screening rules, one row, edited by staff in the admin: no deploy to add a word."""

    link_limit = models.PositiveSmallIntegerField(
        default=2, help_text="Hold a comment with this many links or more (0 turns it off)."
    )
    moderation_words = models.TextField(
        blank=True, help_text="One word or phrase per line: noted as a reason to look closer."
    )
    blocked_words = models.TextField(
        blank=True, help_text="One per line: a comment containing one goes straight to spam."
    )
    blocked_emails = models.TextField(
        "blocked e-mail addresses",
        blank=True,
        help_text="One per line; a line starting with @ blocks a whole domain (and the domains "
        "under it).",
    )
    blocked_ips = models.TextField(
        "blocked IP addresses",
        blank=True,
        help_text="One per line: an address (203.0.113.7) or a network (203.0.113.0/24, "
        "2001:db8::/48).",
    )
    auto_approve_returning = models.BooleanField(
        "auto-approve returning commenters",
        default=False,
        help_text="Publish at once when the commenter wrote an approved comment from the same "
        "browser (or account) with an address its owner has confirmed by mail, and nothing "
        "else flags it.",
    )
    publish_clean_edits = models.BooleanField(
        "keep clean edits published",
        default=False,
        help_text="An approved comment its author edits stays published when the screen finds "
        "nothing in the new text; otherwise every such edit waits for a moderator again.",
    )
    close_after_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Close comments this many days after publication (0 = never). "
        "Empty: the site default.",
    )
    hide_after_reports = models.PositiveSmallIntegerField(
        "hide after this many reports",
        null=True,
        blank=True,
        help_text="Take a published comment off the page once this many networks have reported "
        "it, until a moderator decides: an IPv4 address counts as one, and so does an IPv6 /48, "
        "however many readers in it report. Empty: reports never hide a comment.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "moderation policy"
        verbose_name_plural = "moderation policy"

    def __str__(self):
        return "Moderation policy"

    def save(self, *args, **kwargs):
        self.pk = 1  # there is only ever one
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "ModerationPolicy":
        # Reading never writes: until staff save one, the defaults apply (unsaved). Every
        # article page asks; saving it (comments.policy_services.update_policy) purges the site.
        return cached(
            "moderation-policy", [SITE], lambda: cls.objects.filter(pk=1).first() or cls(pk=1)
        )

    @property
    def effective_close_after_days(self) -> int:
        if self.close_after_days is not None:
            return self.close_after_days
        return settings.COMMENTS_CLOSE_AFTER_DAYS

    @staticmethod
    def lines(text: str) -> list[str]:
        return [line.strip().lower() for line in text.splitlines() if line.strip()]

    def clean(self):
        # A line the screen could never match would look like a block and hold nobody back.
        # Only lines new in this save are checked: one saved before the check existed must not
        # stop every later save of the policy (or an erase, which rewrites the list).
        stored = type(self).objects.filter(pk=self.pk).values(*_LINE_CHECKS).first() or {}
        errors = {}
        for field, complaint_about in _LINE_CHECKS.items():
            known = set(self.lines(stored.get(field, "")))
            for line in self.lines(getattr(self, field)):
                complaint = "" if line in known else complaint_about(line)
                if complaint:
                    errors[field] = f"“{line}” {complaint}"
                    break
        if errors:
            raise ValidationError(errors)


# The widest networks a block may name: a typo such as 0.0.0.0/0 (or a /4) would send a large
# part of the internet's comments to spam, unseen by moderators. A /8 is 16 million addresses,
# a 256th of IPv4; IPv6's largest single allocations to an ISP are around a /19.
WIDEST_BLOCK = {4: 8, 6: 16}


def _complaint_about_network(line: str) -> str:
    networks = ip_networks([line])
    if not networks:
        return "is not an IP address or network (like 203.0.113.7 or 203.0.113.0/24)."
    widest = WIDEST_BLOCK[networks[0].version]
    if networks[0].prefixlen < widest:
        return (
            f"is wider than a /{widest}: it would send the comments of a large part of the "
            "internet to spam."
        )
    return ""


def _complaint_about_address(line: str) -> str:
    not_one = "is neither an e-mail address nor a domain starting with @."
    if line.startswith(ERASED_PREFIX):
        return ""  # an address erased at its owner's request, kept as its keyed hash
    if "*" in line:
        return not_one  # a wildcard the screen does not read: "@junk.example" is the domain
    try:
        # "@junk.example" names a domain: checked as the domain of an address.
        validate_email("someone" + line if line.startswith("@") else line)
    except ValidationError:
        return not_one
    return ""


_LINE_CHECKS = {"blocked_ips": _complaint_about_network, "blocked_emails": _complaint_about_address}


def ip_networks(lines: list[str]) -> list:
    """The addresses and networks these lines name (one address is a network of one); a line
    that names none is left out."""
    networks = []
    for line in lines:
        with contextlib.suppress(ValueError):
            network = ipaddress.ip_network(line, strict=False)
            mapped = network.version == 6 and network.network_address.ipv4_mapped
            if mapped and network.prefixlen >= 96:
                # "::ffff:203.0.113.7", as dual-stack logs write it: the sender is seen as
                # 203.0.113.7, never inside an IPv6 network.
                network = ipaddress.ip_network(f"{mapped}/{network.prefixlen - 96}")
            networks.append(network)
    return networks
