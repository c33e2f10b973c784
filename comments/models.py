from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from comments.querysets import CommentQuerySet
from newsportal.caching import SITE, cached

MAX_NAME_LENGTH = 80
MAX_BODY_LENGTH = 3000


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
            # "Has this address had a comment approved before?" (screening).
            models.Index(
                fields=["email"], condition=Q(status="approved"), name="comment_known_email_idx"
            ),
            # A commenter's record in the queue: their comments by e-mail and by IP.
            models.Index(fields=["email", "status"], name="comment_sender_email_idx"),
            models.Index(fields=["ip_address", "status"], name="comment_sender_ip_idx"),
        ]

    def __str__(self):
        return f"Comment {self.pk} by {self.name}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"

    def clean(self):
        if self.parent_id is None:
            return
        parent = self.parent
        if (
            parent.article_id != self.article_id
            or parent.parent_id is not None
            or parent.status != self.Status.APPROVED
        ):
            raise ValidationError({"parent": "You can only reply to a published comment."})

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED

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
        help_text="One per line; a line starting with @ blocks a whole domain.",
    )
    blocked_ips = models.TextField("blocked IP addresses", blank=True, help_text="One per line.")
    auto_approve_returning = models.BooleanField(
        "auto-approve returning commenters",
        default=False,
        help_text="Publish at once when the e-mail address already has an approved comment "
        "and its owner has confirmed it by mail, and nothing else flags it.",
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
        help_text="Take a published comment off the page once this many readers have reported "
        "it, until a moderator decides. Empty: reports never hide a comment.",
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
        # article page asks; saving it (comments.services.update_policy) purges the site.
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


# Moderator's desk -------------------------------------------------------------------------------
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


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)


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


ERASED_PREFIX = "erased:"


def erased_email(email: str) -> str:
    """How a block keeps an address its owner had erased: a keyed hash, so the block still
    knows the address when it comes back, while no row says it in clear."""
    digest = salted_hmac("comments.block", email.strip().lower(), algorithm="sha256")
    return ERASED_PREFIX + digest.hexdigest()


class BlockQuerySet(models.QuerySet):
    def active(self):
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))

    def matching(self, kind: str, value: str):
        """The blocks of this address, also once it was erased (kept as a keyed hash)."""
        if kind == Block.Kind.EMAIL:
            return self.filter(kind=kind, value__in=[value.lower(), erased_email(value)])
        return self.filter(kind=kind, value=value.lower())

    def reasons_against(self, *, email: str, ip: str | None) -> list[str]:
        """Why the active blocks send this sender's comment to spam (one query)."""
        match = Q(kind=Block.Kind.EMAIL, value__in=[email.lower(), erased_email(email)])
        if ip:
            match |= Q(kind=Block.Kind.IP, value=ip.lower())
        kinds = set(self.active().filter(match).values_list("kind", flat=True))
        return [f"{Block.Kind(kind).label} blocked by a moderator" for kind in sorted(kinds)]


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
        until = f"until {self.expires_at:%d %b %Y %H:%M}" if self.expires_at else "for good"
        return f"{self.get_kind_display()} {self.shown_value} blocked {until}"

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


# Commenters in control ---------------------------------------------------------------------------
class CommentVersion(models.Model):
    """What a comment said before its author edited it: the moderator sees what changed."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="versions")
    body = models.TextField(max_length=MAX_BODY_LENGTH)
    status = models.CharField(max_length=10, choices=Comment.Status.choices)
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["replaced_at", "pk"]

    def __str__(self):
        return f"Earlier text of comment {self.comment_id}"


class CommenterAddress(models.Model):
    """An e-mail address commenters used for mail: no notification or decision mail goes to it
    until its owner followed the confirmation link once; its owner may stop all mail."""

    email = models.EmailField("e-mail", unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    mail_stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "commenter address"
        verbose_name_plural = "commenter addresses"

    def __str__(self):
        return f"Commenter address {self.pk}"

    @property
    def may_be_mailed(self) -> bool:
        return self.verified_at is not None and self.mail_stopped_at is None


class ReplySubscription(models.Model):
    """The author of a comment asked to hear of replies to it (unsubscribing deletes it)."""

    comment = models.OneToOneField(
        Comment, on_delete=models.CASCADE, related_name="reply_subscription"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Replies to comment {self.comment_id}"


class ReplyNotice(models.Model):
    """A reply the subscriber was mailed about: approved twice (after an edit), mailed once."""

    subscription = models.ForeignKey(
        ReplySubscription, on_delete=models.CASCADE, related_name="notices"
    )
    reply = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "reply"], name="reply_notice_once")
        ]

    def __str__(self):
        return f"Reply {self.reply_id} mailed to subscription {self.subscription_id}"


class CommentPolicyPage(models.Model):
    """The privacy and comment-policy page readers reach from the comment form: one row,
    written by staff in the admin."""

    title = models.CharField(max_length=120, default="Comments and your privacy")
    body = models.TextField(
        help_text="Plain text; a blank line starts a new paragraph.",
        default=(
            "We publish comments that add to the story. Every comment is read by a moderator "
            "first; we do not publish insults, advertising or private details about anyone.\n\n"
            "We keep your name, e-mail address and comment, and the IP address you wrote "
            "from. Your e-mail address is never shown; we write to it only when you ask us "
            "to and have confirmed it. IP addresses are cleared after a few weeks, rejected "
            "comments deleted after a few months.\n\n"
            "You can edit or delete each comment from its private status page, and have every "
            "comment made with your address sent to you or erased below."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "privacy and comment policy page"
        verbose_name_plural = "privacy and comment policy page"

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.pk = 1  # there is only ever one
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "CommentPolicyPage":
        return cls.objects.filter(pk=1).first() or cls(pk=1)
