"""What each mail says, drawn when the worker sends it (comments.mail.deliver) from the rows it
names, as things are then: who is told what, and when, is comments.notifications. Text and HTML
parts come from templates/comments/email/."""

import logging
from email.utils import make_msgid, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from comments import links
from comments.models import Comment, CommenterAddress, ReplyNotice
from comments.notifications import DECIDED, mailable
from comments.report_answers import reason_told
from comments.tokens import confirm_about_token

logger = logging.getLogger(__name__)


def _message(template: str, subject: str, to: str, context: dict, headers=None, *, staff=False):
    # A reader who answers one of our mails writes to the sender, whose mailbox nobody reads:
    # their mail says so, and where replies do reach someone (MAIL_REPLY_TO), if anywhere.
    reply_to = "" if staff else settings.MAIL_REPLY_TO
    context = {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "for_readers": not staff,
        "reply_to": parseaddr(reply_to)[1],
        **context,
    }
    message = EmailMultiAlternatives(
        f"[{settings.SITE_NAME}] {subject}",
        render_to_string(f"comments/email/{template}.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [to],
        reply_to=[reply_to] if reply_to else None,
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
    return _message("moderators", "Comments are waiting for review", to, context, staff=True)


def _to_its_author(**only):
    """The comment these filters find (not withdrawn) and the link that stops all mail to its
    author's address, while mail may go there; None when not."""
    found = Comment.objects.filter(withdrawn_at__isnull=True, **only).select_related("article")
    comment = found.first()
    address = comment and mailable().filter(email=comment.email).first()
    return (comment, links.stop_mail_url(address.pk)) if address else None


def _decision_mail(ref, to, asked_at):
    if not (found := _to_its_author(pk=ref, notify_on_decision=True, status__in=DECIDED)):
        return None
    comment, stop_url = found
    comment.rejection_reason = reason_told(comment)  # as told, never saved
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


# The most replies one mail quotes: past that, a link to the next on the article.
REPLIES_QUOTED = 10


def _reply_mail(ref, to, asked_at):
    return _replies_letter(ReplyNotice.objects.filter(pk=ref))


def _replies_meanwhile_mail(ref, to, asked_at):
    """The replies approved while mail waited for the owner's answer, in one mail
    (comments.notifications.notify_replies_meanwhile), named by the newest of their notices:
    a reply approved after the answer has its own mail."""
    wish = ReplyNotice.objects.filter(pk=ref).values("subscription_id")
    notices = ReplyNotice.objects.filter(subscription_id__in=wish, pk__lte=ref)
    return _replies_letter(notices, meanwhile=True)


def _replies_letter(notices, *, meanwhile=False):
    notices = list(
        notices.filter(reply__status=Comment.Status.APPROVED, reply__withdrawn_at__isnull=True)
        .select_related("subscription__comment__article", "reply__article")
        .order_by("reply__created_at", "reply_id")
    )
    if not notices or not notices[0].reply.article.is_public:
        return None  # unsubscribed, the replies are gone, or their article was unpublished
    comment = notices[0].subscription.comment
    address = mailable().filter(email=comment.email).first()
    if address is None:
        return None
    unsubscribe_url = links.unsubscribe_url(comment.pk)
    quoted = [
        (notice.reply, links.absolute(links.public_path(notice.reply)))
        for notice in notices[:REPLIES_QUOTED]
    ]
    rest = notices[REPLIES_QUOTED:]
    context = {
        "comment": comment,
        "replies": quoted,
        "meanwhile": meanwhile,
        "count": len(notices),
        "more": len(rest),
        "more_url": links.absolute(links.public_path(rest[0].reply)) if rest else "",
        "unsubscribe_url": unsubscribe_url,
        "stop_url": links.stop_mail_url(address.pk),
    }
    if comment.parent_id:
        subject = "A new reply" if len(notices) == 1 else "New replies"
        subject += " in a conversation you joined"
    else:
        subject = "Someone replied" if len(notices) == 1 else "Replies"
        subject += " to your comment"
    return _message("reply", subject, comment.email, context, _one_click(unsubscribe_url))


def _unconfirmed():
    # Not to an address whose owner stopped all mail, even one asked for before the stop.
    return CommenterAddress.objects.filter(verified_at__isnull=True, mail_stopped_at__isnull=True)


def _inbox_stopped_since(email: str, asked_at) -> bool:
    """The owner stopped all mail to the inbox this address reaches, under any spelling
    (CommenterAddress.objects.stopped), after this mail was asked for (asked_at None: at any
    time). A stranger asks these mails at `name+1@…` as readily as at the owner's spelling,
    and the queue may hold them for a while (mail put off, the mail server away)."""
    stopped = CommenterAddress.objects.stopped(email)
    if asked_at is not None:
        stopped = stopped.filter(mail_stopped_at__gte=asked_at)
    return stopped.exists()


def _confirm_mail(ref, to, asked_at):
    """Queued before confirmation links named the comment that asked (ref: the address): its
    link vouches only for the comments of the browser that opens it."""
    address = _unconfirmed().filter(pk=ref).first()
    if address is None or _inbox_stopped_since(address.email, None):
        return None
    return _confirmation(address, links.confirm_url(address))


def _confirm_about_mail(ref, to, asked_at):
    """ref: the comment whose mail wish asked for the confirmation. Its link names it: the
    owner who confirms vouches for that comment, not for every one sent with the address."""
    comment = Comment.objects.filter(pk=ref, withdrawn_at__isnull=True).first()
    address = comment and _unconfirmed().filter(email=comment.email).first()
    if not address or _inbox_stopped_since(address.email, None):
        return None
    token = confirm_about_token(address.pk, comment.pk)
    return _confirmation(address, links.absolute(reverse("comments:confirm", args=[token])))


def _confirmation(address: CommenterAddress, confirm_url: str):
    # Anyone may type an address: its owner can stop these too, in one click.
    stop_url = links.stop_mail_url(address.pk)
    context = {
        "confirm_url": confirm_url,
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
    then (request_privacy_link's `by_owner`: a comment they vouched for, or the stop link)."""
    stopped_at = address.mail_stopped_at
    return stopped_at is not None and (asked_at is None or asked_at <= stopped_at)


# A privacy link's `to`: its owner asked for it (request_privacy_link's `by_owner`). Old
# releases' workers read no `to` for these mails.
ASKED_BY_OWNER = "owner"


def _privacy_mail(action):
    def build(ref, to, asked_at):
        address = CommenterAddress.objects.filter(pk=ref).first()
        if address is None or _stopped_since(address, asked_at):
            return None
        # Anyone may ask at another spelling of the inbox: a stop made since holds for it too,
        # as for confirmations and questions. Not for its owner's own ask at a spelling she
        # confirmed and did not stop: that spelling is mailed, as about her comments (mailable).
        owner_s = to == ASKED_BY_OWNER and address.verified_at is not None
        if not owner_s and _inbox_stopped_since(address.email, asked_at):
            return None
        # Anyone who typed the address in a comment may ask: its owner can stop these too.
        stop_url = links.stop_mail_url(address.pk)
        context = {
            "action": action,
            "action_url": links.privacy_url(address.pk, action, email=address.email),
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
    # Anyone may type the address, so this comes unasked too: its owner stops it in one click.
    if not (found := _to_its_author(pk=ref, owner_vouched=False)):
        return None
    comment, stop_url = found
    if _inbox_stopped_since(comment.email, None):
        return None
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
    "replies": _replies_meanwhile_mail,
    "confirm": _confirm_mail,
    "confirm-about": _confirm_about_mail,
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
