"""E-mail about comments: who is told what, queued through comments.mail (one task per mail, in
the transaction of the change) and drawn when the worker sends it (comments.letters). Readers
are mailed only at an address they confirmed, and only what they asked for. No subject carries
reader-written text, so nothing a reader types can reach a mail header; logs name row ids,
never addresses or words."""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, Q
from django.utils import timezone

from comments.mail import drop_queued, drop_queued_of, queue_mail
from comments.models import Comment, CommenterAddress, ReplyNotice, ReplySubscription
from comments.models.commenter import mailbox_of
from comments.status import as_its_writer_sees, waiting_to_its_writer

DECIDED = [Comment.Status.APPROVED, Comment.Status.REJECTED]


def mailable():
    return CommenterAddress.objects.filter(verified_at__isnull=False, mail_stopped_at__isnull=True)


def notify_commenters(comment_ids) -> int:
    """Queue the decision mail for each of these comments whose author asked for it at a
    confirmed address (never for spam). Returns how many were queued."""
    ids = list(
        Comment.objects.filter(
            pk__in=list(comment_ids),
            notify_on_decision=True,
            owner_vouched=True,
            status__in=DECIDED,
            email__in=mailable().values("email"),
        ).values_list("pk", flat=True)
    )
    drop_queued("decision", *ids)
    for pk in ids:
        queue_mail("decision", pk)
    return len(ids)


def notify_subscribers(reply_ids) -> int:
    """Queue a mail about each of these (approved) replies to whoever asked to hear of replies
    in its conversation, at a confirmed address: the author of the comment it answers, and
    the authors of the other replies there (replies are one level deep, so a reply's "when
    someone replies" follows the conversation). Once per reply and address, however often it
    is approved; never about one's own reply. Three queries and one insert whatever the number
    of replies (a moderator may approve a page of them at once), then one task per mail."""
    replies = list(
        Comment.objects.filter(
            pk__in=list(reply_ids), status=Comment.Status.APPROVED, withdrawn_at__isnull=True
        )
        .exclude(parent=None)
        .only("pk", "parent_id", "email", "created_at")
    )
    if not replies:
        return 0
    parents = {reply.parent_id for reply in replies}
    in_conversations = (
        ReplySubscription.objects.filter(
            Q(comment_id__in=parents) | Q(comment__parent_id__in=parents),
            # A comment waiting, as its writer sees it, hears of replies as it was promised.
            Q(comment__status=Comment.Status.APPROVED) | waiting_to_its_writer("comment__"),
            comment__owner_vouched=True,
            comment__withdrawn_at__isnull=True,
            comment__email__in=mailable().values("email"),
        )
        .select_related("comment")
        .only("pk", "comment__parent_id", "comment__email", "comment__created_at")
        .order_by("comment_id")  # the comment answered first: its author's mail says so
    )
    by_conversation = defaultdict(list)
    for subscription in in_conversations:
        follows = subscription.comment
        by_conversation[follows.parent_id or follows.pk].append(subscription)
    already = set(
        ReplyNotice.objects.filter(reply__in=replies).values_list("subscription_id", "reply_id")
    )
    notices = []
    for reply in replies:
        mailed = {reply.email}
        for subscription in by_conversation[reply.parent_id]:
            follows = subscription.comment
            # Replies written before this one: a later one did not join for older news.
            joined = follows.parent_id is None or follows.created_at < reply.created_at
            if follows.pk == reply.pk or not joined or follows.email in mailed:
                continue  # one mail to an address, whichever of its comments asked
            mailed.add(follows.email)
            if (subscription.pk, reply.pk) not in already:
                notices.append(ReplyNotice(subscription=subscription, reply=reply))
    for notice in ReplyNotice.objects.bulk_create(notices):
        queue_mail("reply", notice.pk)
    return len(notices)


def notify_replies_meanwhile(comment_ids) -> int:
    """The owner has just answered for these comments (confirmed the address, or said one is
    theirs): the replies approved in their conversations since they asked to hear of replies,
    which notify_subscribers passed over while the answer was awaited, as the status page
    promised ("once the address's owner has answered"). One mail per wish listing them
    (comments.letters), not one per reply: a lively thread a day before the answer would
    otherwise come as a pile. Never a reply the address was told of through another of its
    wishes, nor one written before the comment that asked (as notify_subscribers)."""
    wishes = (
        ReplySubscription.objects.filter(
            Q(comment__status=Comment.Status.APPROVED) | waiting_to_its_writer("comment__"),
            comment_id__in=list(comment_ids),
            comment__owner_vouched=True,
            comment__withdrawn_at__isnull=True,
            comment__email__in=mailable().values("email"),
        )
        .select_related("comment")
        .order_by("comment_id")
    )
    queued = 0
    for wish in wishes:
        follows = wish.comment
        told = ReplyNotice.objects.filter(subscription__comment__email=follows.email)
        missed = (
            Comment.objects.filter(
                parent_id=follows.parent_id or follows.pk,
                status=Comment.Status.APPROVED,
                withdrawn_at__isnull=True,
                created_at__gt=follows.created_at,
                moderated_at__gte=wish.created_at,
            )
            .exclude(email=follows.email)
            .exclude(pk__in=told.values("reply_id"))
            .order_by("created_at", "pk")
        )
        notices = [ReplyNotice(subscription=wish, reply=reply) for reply in missed]
        if notices:
            # Named by its newest notice: the mail lists the wish's notices up to it.
            queue_mail("replies", ReplyNotice.objects.bulk_create(notices)[-1].pk)
            queued += 1
    return queued


def mail_stopped_for(email: str) -> bool:
    """No mail comes to this address because its owner stopped all mail: to it, or to its inbox
    under another spelling while it is not confirmed itself (ask_owner asks nothing there, so
    it never will be). A confirmed spelling not stopped itself is mailed (mailable)."""
    own = CommenterAddress.objects.filter(email=email).first()
    if own is not None and (own.mail_stopped_at or own.verified_at):
        return own.mail_stopped_at is not None
    return CommenterAddress.objects.stopped(email).exists()


def mail_waits_for_owner(comment: Comment) -> bool:
    """Mail was asked for about this comment, and its writer did not show they own the
    address: nothing goes out until the owner answers (the confirmation mail, or "Is this
    comment yours?" at a confirmed address). Whichever of the two, so that the status page
    tells its reader nothing of the address: anyone may type one."""
    if comment.owner_vouched or as_its_writer_sees(comment) == Comment.Status.SPAM:
        return False
    subscribed = ReplySubscription.objects.filter(comment=comment).exists()
    return comment.notify_on_decision or subscribed


def _vouched_by_writer(comment: Comment, written_before) -> bool:
    """The account has this address, or this browser (its signed cookie's ids) or account
    wrote a comment with it whose owner was vouched for."""
    if comment.user_id and comment.user.email.lower() == comment.email.lower():
        return True
    written = Comment.objects.written_with(
        comment.email, ids=written_before, user_id=comment.user_id
    )
    return written.filter(owner_vouched=True).exclude(pk=comment.pk).exists()


def _claim(address: CommenterAddress, field: str, now, **only) -> bool:
    """Two posts at once queue one mail; another only after COMMENTS_CONFIRM_RESEND_HOURS
    (should the first be lost; and so strangers typing the address cannot mail it more often),
    counted per mailbox (claim_for_mailbox)."""
    resend_after = now - timedelta(hours=settings.COMMENTS_CONFIRM_RESEND_HOURS)
    return claim_for_mailbox(address, field, since=resend_after, now=now, **only)


def claim_for_mailbox(address: CommenterAddress, field: str, *, since, now, **only) -> bool:
    """Whether a mail may go to the address now: one conditional UPDATE of its `field` (when
    that mail last went to it), made only if no address of its mailbox (`name+1@…`,
    `name+2@…`, `n.ame@gmail.com`: CommenterAddress.mailbox) had it set `since`, else one
    client could have a new spelling mailed at each post, every one landing in the same inbox.
    The check is the mailbox index's, in the same statement.

    Two asks at once for the same address mail once (the second UPDATE waits for the row and
    finds the field set). What a race can still do: asks for two different spellings whose
    transactions overlap each miss the other's mark (on PostgreSQL it counts once committed),
    so a burst of posts at the same instant may mail the inbox once per spelling; every ask
    after that is held back until the limit has passed. Locking the mailbox's rows first
    would narrow this, but could deadlock with a transaction that already holds one of them."""
    mailbox = mailbox_of(address.email)
    mailed_lately = CommenterAddress.objects.filter(mailbox=mailbox, **{f"{field}__gte": since})
    unsent_here = Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": since})
    claimed = CommenterAddress.objects.filter(
        unsent_here, ~Exists(mailed_lately), pk=address.pk, **only
    )
    return claimed.update(**{field: now}) == 1


def note_mail_wishes(comment: Comment, *, notify_reply: bool, written_before=()) -> None:
    """At posting: remember a wish to hear of replies, and when any mail was asked for at an
    address not confirmed yet, queue its one confirmation mail (another only after
    COMMENTS_CONFIRM_RESEND_HOURS, should the first be lost). A comment the block list sent
    to spam asks for nothing: no mail goes out on its behalf; but one held for its address
    alone asks as a waiting comment does (comments.status.held_for_its_address: silence would
    tell its writer the address is blocked).

    Anyone may type an address: at one whose owner stopped all mail, a ticked box mails
    nothing, not even a confirmation (the stop page promised no more mail); every mail is
    checked against the stop when queued and sent. The wish is still written down, so that the
    status page says the same as for any other address (silence there told a stranger whose
    address it is); resume_mail drops such wishes, and the owner ticks the box again."""
    if as_its_writer_sees(comment) == Comment.Status.SPAM:
        return
    if _vouched_by_writer(comment, written_before):
        Comment.objects.filter(pk=comment.pk).update(owner_vouched=True)
        comment.owner_vouched = True
    if not (notify_reply or comment.notify_on_decision):
        # Its owner's stop link offers a link to the comments written with the address, which
        # an erase's keyed hash alone cannot name. Not for spam held for its blocked address:
        # a stranger's spam must not bring an erased address back in clear.
        if comment.status != Comment.Status.SPAM:
            CommenterAddress.objects.take_back(comment.email)
        return
    address = CommenterAddress.objects.claim(comment.email)  # takes the row back too
    if notify_reply:
        ReplySubscription.objects.get_or_create(comment=comment)
    ask_owner(comment, address)


def ask_owner(comment: Comment, address: CommenterAddress | None = None) -> None:
    """Mail was asked for about this comment (at posting, or later from its status page): where
    its writer has not shown they own the address, ask its owner, once (the confirmation mail
    at an address not confirmed yet, else "Is this comment yours?"; another only after
    COMMENTS_CONFIRM_RESEND_HOURS), and nothing at all where the owner stopped all mail."""
    if address is None:
        address = CommenterAddress.objects.claim(comment.email)
    if (
        _ask(comment, address) is None
        and not CommenterAddress.objects.filter(pk=address.pk).exists()
    ):
        # Forgotten (comments.forgetting, its last comment deleted) between the claim's read
        # and this UPDATE, which found no row: made again, the owner is asked all the same.
        _ask(comment, CommenterAddress.objects.claim(comment.email))


def _ask(comment: Comment, address: CommenterAddress) -> bool | None:
    """ask_owner's mail, if any: None when the UPDATE that claims it changed no row."""
    if (
        address.mail_stopped_at is not None
        or CommenterAddress.objects.stopped(address.email).exists()
    ):
        return False
    now = timezone.now()
    if address.verified_at is None:
        if not _claim(address, "confirmation_sent_at", now, verified_at__isnull=True):
            return None
        # About this comment: confirming vouches for it (and for the comments of the browser
        # that confirms), never for every comment sent with the address.
        queue_mail("confirm-about", comment.pk)
    elif not comment.owner_vouched:
        if not _claim(address, "question_sent_at", now):
            return None
        queue_mail("confirm-comment", comment.pk)
    return True


def ask_about_the_next_waiting(email: str) -> None:
    """The owner answered "Is this comment yours?": the oldest other comment sent with the
    address whose mail waits for that answer (its question held back by the once-a-day limit)
    is asked about now. Nothing is vouched for unseen, and no stranger speeds this up: each
    question follows an answer of the owner's."""
    waiting = _oldest_waiting(email).filter(owner_vouched=False).first()
    if waiting is not None and mailable().filter(email=email).exists():
        CommenterAddress.objects.filter(email=email).update(question_sent_at=timezone.now())
        queue_mail("confirm-comment", waiting.pk)


def _oldest_waiting(email: str):
    """The comments sent with the address whose mail wishes wait for its owner, oldest first."""
    return (
        Comment.objects.filter(email=email, withdrawn_at__isnull=True)
        .filter(Q(status__in=DECIDED) | waiting_to_its_writer())
        .filter(Q(notify_on_decision=True) | Q(reply_subscription__isnull=False))
        .order_by("created_at", "pk")
    )


def confirmation_unsent(withdrawn: list[Comment]) -> None:
    """These comments were deleted before the confirmation mail asked about them went: nothing
    was sent, so the address's one mail of the day is not spent (a stranger who posts with it
    and deletes would hold it back), and its oldest comment still waiting is asked about. One
    query when no such mail waited (the erase of an address deletes all its comments: one
    address; a writer deletes one)."""
    if not drop_queued("confirm-about", *(comment.pk for comment in withdrawn)):
        return
    for email in {comment.email for comment in withdrawn}:
        unconfirmed = CommenterAddress.objects.filter(email=email, verified_at__isnull=True)
        unconfirmed.update(confirmation_sent_at=None)
        waiting = _oldest_waiting(email).first()
        if waiting is not None:
            ask_owner(waiting)


def mail_unasked(comments: list[Comment]) -> None:
    """These comments ask for no mail any more (a moderator's "Not spam" undone: spam asks for
    none): the confirmation or "Is this comment yours?" asked about one, still waiting, does
    not go, and does not spend its address's one of the day: the address's oldest comment
    still waiting for its owner's answer is asked about instead (as confirmation_unsent)."""
    emails = {comment.pk: comment.email for comment in comments}
    asked = {"confirm-about": "confirmation_sent_at", "confirm-comment": "question_sent_at"}
    for kind, field in asked.items():
        for email in sorted({emails[pk] for pk in drop_queued_of(kind, *emails)}):
            CommenterAddress.objects.filter(email=email).update(**{field: None})
            waiting = _oldest_waiting(email)
            if kind == "confirm-comment":  # a question: about one not vouched for
                waiting = waiting.filter(owner_vouched=False)
            if (oldest := waiting.first()) is not None:
                ask_owner(oldest)
