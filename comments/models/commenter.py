"""Commenters in control: earlier versions, confirmed addresses, reply mail, the policy page."""

import hashlib
import re

from django.db import models
from django.utils import timezone
from django.utils.encoding import punycode

from comments.models.comment import ERASED_PREFIX, MAX_BODY_LENGTH, Comment
from comments.models.desk import erased_emails


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


# Gmail delivers to the same inbox whatever dots the name has, at either domain.
GMAIL_DOMAINS = ("gmail.com", "googlemail.com")
# Fastmail delivers anything@name.fastmail.com to name@fastmail.com (its documented subdomain
# addressing): a subdomain there is one user's, so no two inboxes are counted as one.
FASTMAIL_DOMAINS = ("fastmail.com", "fastmail.fm")
MAILBOX_LENGTH = 254
LONG_MAILBOX_PREFIX = "sha256:"


def mailbox_of(email: str) -> str:
    """The inbox an address reaches, as the limits on mail to an address count it: anyone may
    type `name+1@…`, `NAME@…`, `"name"@…` (RFC 5321: a quoted local part is the same mailbox,
    and each of its backslash escapes doubles the spellings), a domain in Unicode or in
    punycode (`xn--…`, as our mail goes out), or, at Gmail, `n.ame@…`, at Fastmail
    `x@name.fastmail.com`: each a new address that lands in the same inbox. Case-folded,
    unquoted, without a `+tag`, the domain in punycode. Not `-tags`: only some servers split
    there, and `jean-paul@` and `jean-pierre@` are two people. Mail still goes to the address
    as typed. Migrations 0019 to 0021 hold copies to fill the rows they found: a change here
    needs a migration that fills them again."""
    local, at, domain = email.rpartition("@")
    if not at:
        return email  # an erased address's keyed hash: a mailbox of its own
    if len(local) > 1 and local.startswith('"') and local.endswith('"'):
        local = re.sub(r"\\(.)", r"\1", local[1:-1])
    local, domain = local.lower(), _ascii_domain(domain)
    local = local.split("+", 1)[0] or local
    if domain in GMAIL_DOMAINS:
        local, domain = local.replace(".", "") or local, GMAIL_DOMAINS[0]
    user, _, provider = domain.partition(".")
    if provider in FASTMAIL_DOMAINS and user:
        local, domain = user, provider
    return _fitted(f"{local}@{domain}")


def _fitted(mailbox: str) -> str:
    """In punycode a long Unicode domain may outgrow the column (an address is at most 254
    characters as typed): a hash of the whole, not its start, which two inboxes may share
    (`…übung.de` and `…übung.com`). Unkeyed, as the value it stands for is kept in clear."""
    if len(mailbox) <= MAILBOX_LENGTH:
        return mailbox
    return LONG_MAILBOX_PREFIX + hashlib.sha256(mailbox.encode()).hexdigest()


def _ascii_domain(domain: str) -> str:
    """The domain as mail reaches it (Django's mail sends it in punycode), in lower case."""
    try:
        return punycode(domain).lower()
    except UnicodeError:
        return domain.lower()  # not a name IDNA can spell (Django's validator let it through)


class CommenterAddressManager(models.Manager):
    def claim(self, email: str) -> "CommenterAddress":
        """The address's row, made when mail is first asked for. An owner who stopped all mail
        and then erased everything left their row under a keyed hash of the address
        (comments.privacy): typed again, the address takes that row back, and the stop with it."""
        self.take_back(email)
        return self.get_or_create(email=email)[0]

    def take_back(self, email: str) -> None:
        """The address is typed again (a comment holds it in clear once more): a row kept
        under its keyed hash by an erase is the address's again, its stop with it. One
        conditional UPDATE, run at every post; the row goes back under its hash when the last
        comment holding the address goes (comments.privacy.forget_addresses)."""
        held = self.filter(email=email)
        erased = self.filter(email__in=erased_emails(email)).exclude(models.Exists(held))
        erased.update(email=email, mailbox=mailbox_of(email))

    def stopped(self, email: str):
        """The row of an owner who stopped all mail to this address, erased or not, or to
        another spelling of its inbox (a stranger's `name+1@…` must not mail it again). An
        erased row keeps its inbox as a keyed hash too (comments.privacy); one erased before it
        did is found by its own hash when its spelling was the inbox's."""
        mailbox = mailbox_of(email)
        spelt = models.Q(email__in=[email, *erased_emails(email), *erased_emails(mailbox)])
        inbox = models.Q(mailbox__in=[mailbox, *erased_emails(mailbox)])
        return self.filter(spelt | inbox).filter(mail_stopped_at__isnull=False)


class CommenterAddress(models.Model):
    """An e-mail address commenters used for mail: no notification or decision mail goes to it
    until its owner followed the confirmation link once; its owner may stop all mail."""

    email = models.EmailField("e-mail", unique=True)
    # mailbox_of(email), which the limits on mail to the address count (one inbox, however
    # the address is spelt); an erased address's keyed hash (comments.privacy) is its own.
    mailbox = models.CharField(max_length=MAILBOX_LENGTH, editable=False, default="")
    created_at = models.DateTimeField(default=timezone.now)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    # The last "Is this comment yours?" (one a day: strangers may type the address).
    question_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The last link to export or erase (comments.privacy): kept here, not in the cache, so that
    # the limit holds while Redis is away (anyone may type the address).
    privacy_mail_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    verified_at = models.DateTimeField(null=True, blank=True)
    mail_stopped_at = models.DateTimeField(null=True, blank=True)

    objects = CommenterAddressManager()

    class Meta:
        verbose_name = "commenter address"
        verbose_name_plural = "commenter addresses"
        # Equality only: one index (db_index would add a LIKE one on PostgreSQL).
        indexes = [models.Index(fields=["mailbox"], name="commenter_address_mailbox")]

    def __str__(self):
        return f"Commenter address {self.pk}"

    def save(self, *args, update_fields=None, **kwargs):
        # Derived, so that a row written any way counts its inbox. An erased row's is the keyed
        # hash of its inbox (comments.privacy), which stays; never the inbox in clear.
        erased = self.email.startswith(ERASED_PREFIX)
        if not (erased and self.mailbox.startswith(ERASED_PREFIX)):
            self.mailbox = mailbox_of(self.email)
        if update_fields is not None and "email" in update_fields:
            update_fields = {*update_fields, "mailbox"}
        super().save(*args, update_fields=update_fields, **kwargs)


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
            "to and have confirmed it. IP addresses are cleared after a few weeks (one we have "
            "blocked from commenting, a few weeks after the block ends), rejected comments "
            "deleted after a few months.\n\n"
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
