"""E-mail about comments: who is told what, queued through comments.mail (one task per mail, in
the transaction of the change) and drawn from templates (text and HTML) when the worker sends
it. Readers are mailed only at an address they confirmed, and only what they asked for. No
subject carries reader-written text, so nothing a reader types can reach a mail header; logs
name row ids, never addresses or words."""

import logging
from collections import defaultdict
from datetime import timedelta
from email.utils import make_msgid, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from comments import links
from comments.mail import drop_queued, queue_mail
from comments.models import Comment, CommenterAddress, ReplyNotice, ReplySubscription

logger = logging.getLogger(__name__)
DECIDED = [Comment.Status.APPROVED, Comment.Status.REJECTED]


def _mailable():
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
            email__in=_mailable().values("email"),
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
            comment__owner_vouched=True,
            comment__withdrawn_at__isnull=True,
            comment__status__in=[Comment.Status.APPROVED, Comment.Status.PENDING],
            comment__email__in=_mailable().values("email"),
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


def mail_waits_for_owner(comment: Comment) -> bool:
    """Mail was asked for about this comment, and its writer did not show they own the
    address: nothing goes out until the owner answers (the confirmation mail, or "Is this
    comment yours?" at a confirmed address). Whichever of the two, so that the status page
    tells its reader nothing of the address: anyone may type one."""
    if comment.owner_vouched or comment.status == Comment.Status.SPAM:
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
    """One conditional UPDATE of the address's `field` (when that mail was last sent), so two
    posts at once queue one mail; another only after COMMENTS_CONFIRM_RESEND_HOURS (should the
    first be lost; and so strangers typing the address cannot mail it more often)."""
    resend_after = now - timedelta(hours=settings.COMMENTS_CONFIRM_RESEND_HOURS)
    unsent_lately = Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": resend_after})
    claimed = CommenterAddress.objects.filter(unsent_lately, pk=address.pk, **only)
    return claimed.update(**{field: now}) == 1


def note_mail_wishes(comment: Comment, *, notify_reply: bool, written_before=()) -> None:
    """At posting: remember a wish to hear of replies, and when any mail was asked for at an
    address not confirmed yet, queue its one confirmation mail (another only after
    COMMENTS_CONFIRM_RESEND_HOURS, should the first be lost). A comment the block list sent
    to spam asks for nothing: no mail goes out on its behalf.

    Anyone may type an address: at one whose owner stopped all mail, a ticked box mails
    nothing, not even a confirmation (the stop page promised no more mail); every mail is
    checked against the stop when queued and sent. The wish is still written down, so that the
    status page says the same as for any other address (silence there told a stranger whose
    address it is); resume_mail drops such wishes, and the owner ticks the box again."""
    if comment.status == Comment.Status.SPAM:
        return
    if _vouched_by_writer(comment, written_before):
        Comment.objects.filter(pk=comment.pk).update(owner_vouched=True)
        comment.owner_vouched = True
    if not (notify_reply or comment.notify_on_decision):
        return
    address = CommenterAddress.objects.claim(comment.email)
    if notify_reply:
        ReplySubscription.objects.get_or_create(comment=comment)
    if address.mail_stopped_at is not None:
        return
    now = timezone.now()
    if address.verified_at is None:
        if _claim(address, "confirmation_sent_at", now, verified_at__isnull=True):
            queue_mail("confirm", address.pk)
    elif not comment.owner_vouched and _claim(address, "question_sent_at", now):
        queue_mail("confirm-comment", comment.pk)


def ask_about_the_next_waiting(email: str) -> None:
    """The owner answered "Is this comment yours?": the oldest other comment sent with the
    address whose mail waits for that answer (its question held back by the once-a-day limit)
    is asked about now. Nothing is vouched for unseen, and no stranger speeds this up: each
    question follows an answer of the owner's."""
    waiting = (
        Comment.objects.filter(email=email, owner_vouched=False, withdrawn_at__isnull=True)
        .exclude(status=Comment.Status.SPAM)
        .filter(Q(notify_on_decision=True) | Q(reply_subscription__isnull=False))
        .order_by("created_at", "pk")
        .first()
    )
    if waiting is not None and _mailable().filter(email=email).exists():
        CommenterAddress.objects.filter(email=email).update(question_sent_at=timezone.now())
        queue_mail("confirm-comment", waiting.pk)


# --- Drawing a mail when the worker sends it ------------------------------------------------------


def _message(template: str, subject: str, to: str, context: dict, headers=None):
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    message = EmailMultiAlternatives(
        f"[{settings.SITE_NAME}] {subject}",
        render_to_string(f"comments/email/{template}.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [to],
        # RFC 3834: every mail we send is automatic, so vacation responders and the like do
        # not answer it (nobody reads the sender's mailbox for them).
        headers={
            "Auto-Submitted": "auto-generated",
            "Message-ID": make_msgid(domain=_sender_domain()),
            **(headers or {}),
        },
    )
    message.attach_alternative(
        render_to_string(f"comments/email/{template}.html", context), "text/html"
    )
    return message


def _sender_domain() -> str:
    """Our mail's Message-IDs end in the sender's domain: Django's default is this machine's
    name (`localhost`, a container's id, an internal host), which every reader's mail then
    carried, and which spam filters score as not a domain (rspamd's MID_RHS_NOT_FQDN)."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    if "." not in domain:  # newsroom@localhost, the unconfigured default
        domain = urlsplit(settings.SITE_URL).hostname or domain
    return domain


def _one_click(url: str) -> dict:
    # RFC 8058: the mail client POSTs List-Unsubscribe=One-Click to this URL, no page opened.
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _moderators_mail(ref, to, asked_at):
    pending = Comment.objects.pending().count()
    if not pending:
        return None  # decided before the mail went out
    context = {
        "pending": pending,
        "queue_url": links.absolute(reverse("admin:comments_comment_changelist")),
        # Why this address gets it, and so who can stop it (comments.moderator_mail).
        "listed": to in settings.COMMENTS_MODERATOR_EMAILS,
        "interval_minutes": settings.COMMENTS_MODERATOR_MAIL_INTERVAL // 60,
    }
    return _message("moderators", "Comments are waiting for review", to, context)


def _decision_mail(ref, to, asked_at):
    comment = (
        Comment.objects.filter(
            pk=ref, notify_on_decision=True, status__in=DECIDED, withdrawn_at__isnull=True
        )
        .select_related("article")
        .first()
    )
    address = comment and _mailable().filter(email=comment.email).first()
    if not address:
        return None
    stop_url = links.stop_mail_url(address.pk)
    context = {
        "comment": comment,
        "status_url": links.absolute(comment.status_url),
        # Not while the article is off the site: its address may name a story pulled or
        # renamed under embargo (as article_named does not).
        "comment_url": (
            links.absolute(links.public_path(comment)) if comment.article.is_public else ""
        ),
        "stop_url": stop_url,
    }
    subject = (
        "Your comment was taken down" if comment.taken_down_at else "Your comment has been reviewed"
    )
    return _message("decision", subject, comment.email, context, _one_click(stop_url))


def _reply_mail(ref, to, asked_at):
    notice = (
        ReplyNotice.objects.filter(
            pk=ref, reply__status=Comment.Status.APPROVED, reply__withdrawn_at__isnull=True
        )
        .select_related("subscription__comment__article", "reply__article")
        .first()
    )
    if notice is None or not notice.reply.article.is_public:
        return None  # unsubscribed, the reply is gone, or its article was unpublished
    comment = notice.subscription.comment
    address = _mailable().filter(email=comment.email).first()
    if address is None:
        return None
    unsubscribe_url = links.unsubscribe_url(comment.pk)
    context = {
        "comment": comment,
        "reply": notice.reply,
        "reply_url": links.absolute(links.public_path(notice.reply)),
        "unsubscribe_url": unsubscribe_url,
        "stop_url": links.stop_mail_url(address.pk),
    }
    return _message(
        "reply",
        "A new reply in a conversation you joined"
        if comment.parent_id
        else "Someone replied to your comment",
        comment.email,
        context,
        _one_click(unsubscribe_url),
    )


def _confirm_mail(ref, to, asked_at):
    # Not to an address whose owner stopped all mail, even one asked for before the stop.
    unconfirmed = CommenterAddress.objects.filter(
        verified_at__isnull=True, mail_stopped_at__isnull=True
    )
    address = unconfirmed.filter(pk=ref).first()
    if address is None:
        return None
    # Anyone may type an address: its owner can stop these too, in one click.
    stop_url = links.stop_mail_url(address.pk)
    context = {
        "confirm_url": links.confirm_url(address),
        "days": links.CONFIRM_DAYS,
        "stop_url": stop_url,
        "resend_hours": settings.COMMENTS_CONFIRM_RESEND_HOURS,
    }
    return _message(
        "confirm",
        "Please confirm your e-mail address",
        address.email,
        context,
        _one_click(stop_url),
    )


def _stopped_since(address: CommenterAddress, asked_at) -> bool:
    """The owner stopped all mail after this link was asked for: the stop takes effect at once,
    even for mail already queued. One asked for after the stop goes: only its owner can ask
    then (request_privacy_link's `by_owner`, from a comment they vouched for)."""
    stopped_at = address.mail_stopped_at
    return stopped_at is not None and (asked_at is None or asked_at <= stopped_at)


def _privacy_mail(action):
    def build(ref, to, asked_at):
        address = CommenterAddress.objects.filter(pk=ref).first()
        if address is None or _stopped_since(address, asked_at):
            return None
        # Anyone who typed the address in a comment may ask: its owner can stop these too.
        stop_url = links.stop_mail_url(address.pk)
        context = {
            "action": action,
            "action_url": links.privacy_url(address.pk, action),
            "button": links.PRIVACY_BUTTONS[action],
            "days": links.PRIVACY_DAYS,
            "count": Comment.objects.filter(email=address.email).count(),
            "stop_url": stop_url,
        }
        subject = "Your comments: the link you asked for"
        return _message("privacy", subject, address.email, context, _one_click(stop_url))

    return build


def _confirm_comment_mail(ref, to, asked_at):
    # Only our own words and the article's title: what a stranger wrote never reaches the
    # address through this mail.
    comment = (
        Comment.objects.filter(pk=ref, owner_vouched=False, withdrawn_at__isnull=True)
        .select_related("article")
        .first()
    )
    address = comment and _mailable().filter(email=comment.email).first()
    if not address:
        return None
    # Anyone may type the address, so this comes unasked too: its owner stops it in one click.
    stop_url = links.stop_mail_url(address.pk)
    context = {
        "comment": comment,
        "confirm_url": links.confirm_comment_url(comment.pk),
        "days": links.CONFIRM_DAYS,
        "stop_url": stop_url,
    }
    return _message(
        "confirm_comment",
        "Is this comment yours?",
        comment.email,
        context,
        _one_click(stop_url),
    )


BUILDERS = {
    "moderators": _moderators_mail,
    "decision": _decision_mail,
    "reply": _reply_mail,
    "confirm": _confirm_mail,
    "confirm-comment": _confirm_comment_mail,
    **{f"privacy-{action}": _privacy_mail(action) for action in links.PRIVACY_ACTIONS},
}


def build_mail(kind: str, ref: int, to: str = "", asked_at=None) -> EmailMultiAlternatives | None:
    """The mail a queued task stands for, as things are now; None when there is nothing (any
    more) to say: the comment was erased, the reader unsubscribed or stopped all mail, the
    queue emptied. `asked_at`: when the task was queued (None: unknown, taken as before any
    stop)."""
    builder = BUILDERS.get(kind)
    if builder is None:
        logger.error("unknown mail kind %r", kind)
        return None
    return builder(ref, to, asked_at)
