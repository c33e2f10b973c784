"""Addresses no comment is written with any more: forgotten, or, where their owner stopped all
mail, kept only as the stop, under a keyed hash. comments.privacy runs this for an erase, a
commenter's own delete and the daily prune; comments.deletion for a moderator's delete.

Lock order, in every transaction that writes both: a commenter's comments first (several of
them in pk order, as Comment.objects.lock_rows takes them), then the stories' count rows
(Article, pk order, as a post and a delete move their counts), their address's row
(CommenterAddress) last. A delete or an erase locks the comments and then forgets the address;
Stop all mail, Send mail again and the confirmation link lock the address's comments before
they UPDATE its row; a post, a reply, "Ask again", "E-mail me about replies" and "This comment
is mine" lock or write the comment and then claim the address; "Back to the queue" and "Not
spam" (with the comments ticked replies answer) lock the comments, then the stories, and claim
the address for the mail spam never asked for last. A transaction that held an address and
then waited for a comment (or a story) met one of these crosswise, and PostgreSQL refused one
of the two ('deadlock detected': a server error, and the press lost). A reply holds the
comment it answers before it claims the address: one approved at once FOR NO KEY UPDATE
(lock_if_repliable), a waiting one FOR KEY SHARE (hold_answered), the lock its foreign key
check takes anyway, which at its commit came after the claim and met its owner's Delete or
Erase of that comment (FOR UPDATE, as they delete it) crosswise. What locks comments and then
waits for an address without deleting them locks them FOR NO KEY UPDATE, which a waiting
reply's hold does not wait for, nor it for them."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from comments.batching import batches
from comments.links import PRIVACY_ACTIONS
from comments.mail import drop_queued
from comments.models import ERASED_PREFIX, Comment, CommenterAddress, erased_email, erased_emails
from comments.models.commenter import mailbox_of

PRIVACY_MAIL_MINUTES = 10


def forgettable_addresses(now):
    """Addresses no comment is written with any more, which we may forget. Not one whose owner
    stopped all mail, nor one mailed within COMMENTS_CONFIRM_RESEND_HOURS: whoever posts may
    delete their comment, and a stranger who typed the address would otherwise post, delete
    and post again to mail it a confirmation each time, the owner's stop forgotten with it."""
    lately = now - timedelta(hours=settings.COMMENTS_CONFIRM_RESEND_HOURS)
    return (
        CommenterAddress.objects.filter(mail_stopped_at__isnull=True)
        # NOT EXISTS, answered by the sender index per address: NOT IN over every comment's
        # address was a plan of addresses x comments (minutes, at 30,000 x 300,000).
        .exclude(Exists(Comment.objects.filter(email=OuterRef("email"))))
        .exclude(confirmation_sent_at__gte=lately)
        .exclude(question_sent_at__gte=lately)
        # Forgotten, its privacy limit would go too: post, ask, delete, again.
        .exclude(privacy_mail_sent_at__gte=now - timedelta(minutes=PRIVACY_MAIL_MINUTES))
    )


def forget_addresses(now, **only) -> int:
    """Addresses no comment is written with any more (of those `only` selects) are forgotten
    (forgettable_addresses); one whose owner stopped all mail keeps only the stop, under a
    keyed hash, as an erase keeps it: a comment written with an erased address takes its row
    back in clear (CommenterAddress.objects.take_back), anyone may type it, and once that
    comment is deleted (by its writer, a moderator, the retention job) the address must not
    stay in clear for good. The same queries for fifty addresses as for one. Returns how many
    were forgotten."""
    with transaction.atomic():
        # Locked in pk order before the DELETE, which locks in the order its plan meets the rows:
        # the prune's scan of the whole table and a deletion's lookup of its few addresses (its
        # after-commit forgetting) met them in two orders, and waited on each other crosswise.
        forgettable = forgettable_addresses(now).filter(**only)
        pks = list(forgettable.select_for_update().order_by("pk").values_list("pk", flat=True))
        # Asked again: a comment written with one meanwhile keeps it. Not by `only` again (the
        # locked rows are its own): a batch of addresses named twice overran SQLite's limit.
        again = forgettable_addresses(now)
        forgotten = sum(again.filter(pk__in=batch).delete()[0] for batch in batches(pks))
        unwritten = ~Exists(Comment.objects.filter(email=OuterRef("email")))
        stopped = CommenterAddress.objects.filter(unwritten, mail_stopped_at__isnull=False, **only)
        stopped = stopped.exclude(email__startswith=ERASED_PREFIX)
        # Locked in pk order too: two deletions at once over the same addresses never cross.
        keep_only_the_stops(list(stopped.select_for_update().order_by("pk")))
    return forgotten


def forget_addresses_on_commit(emails) -> None:
    """Once the deletion of comments written with these addresses has committed: those with no
    comment left are forgotten (forget_addresses). After the commit, not in it: the last two
    comments of an address deleted at once each saw the other still there, and whichever
    commits last now finds neither; and a moderator's delete, over many writers' comments,
    holds no address while it locks them. A failure is logged, and the daily prune does it."""
    emails = sorted(set(emails) - {""})

    def forget() -> None:
        for batch in batches(emails):  # the retention job deletes rejects by the thousand
            forget_addresses(timezone.now(), email__in=batch)

    if emails:
        transaction.on_commit(forget, robust=True)


def keep_only_the_stops(addresses: list[CommenterAddress]) -> None:
    """Stopped addresses' rows, with no comment holding the address any more: each its keyed
    hash instead of the address, and nothing else kept but the stop. In batches, in the
    order given (pk order, as they were locked); each statement names a batch's rows."""
    # A row's variables: its pk and its hashes under every key still known (the older hashes'
    # DELETE), or its pk thrice and two values (the rewrite's bulk_update, whose own batches
    # count four and overran SQLite's 999).
    per_row = max(1 + len(erased_emails("")), 5)
    for batch in batches(addresses, per_row=per_row):
        _keep_only_the_stops(batch)


def _keep_only_the_stops(addresses: list[CommenterAddress]) -> None:
    pks = [address.pk for address in addresses]
    for kind in ("confirm", *(f"privacy-{action}" for action in PRIVACY_ACTIONS)):
        drop_queued(kind, *pks)  # mail waiting to go would reach no address
    # An older erase's, if any (under any key still known).
    older = [hashed for address in addresses for hashed in erased_emails(address.email)]
    CommenterAddress.objects.filter(email__in=older).exclude(pk__in=pks).delete()
    for address in addresses:
        email = address.email
        address.email = erased_email(email)
        # The inbox's hash, so that the stop holds for its other spellings too (stopped()).
        address.mailbox = erased_email(mailbox_of(email))
    # Nothing else kept but the stop. The same for every row: one UPDATE, not bulk_update's
    # CASE per row and column (a second a thousand rows).
    CommenterAddress.objects.filter(pk__in=pks).update(
        verified_at=None,
        confirmation_sent_at=None,
        question_sent_at=None,
        privacy_mail_sent_at=None,
    )
    CommenterAddress.objects.bulk_update(addresses, ["email", "mailbox"])
