"""The links that stop mail, on every mail to a commenter and on their status page: no more
mail about a conversation's replies (unsubscribe), or none at all to the address (stop all
mail). Signed links, asked then acted on (comments.confirm_views.ask_then_act), as the other
commenter pages."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse

from comments import links
from comments.commenter_services import (
    NO_REPLY_MAIL_DELETED,
    follow_replies,
    follows_replies,
    reply_mail_can_come,
    resume_mail,
    stop_all_mail,
    unsubscribe_replies,
)
from comments.commenter_views import (
    commenter_context,
    commenter_page,
    link_gone,
    notice_page,
    signed_link,
)
from comments.confirm_views import ask_then_act
from comments.models import ERASED_PREFIX, Comment, CommenterAddress
from comments.privacy import request_privacy_link
from comments.privacy_views import owner_told
from comments.tokens import comment_id_from_token


@signed_link
def unsubscribe(request, token):
    comment_id = links.comment_id_from_unsubscribe(token)
    if comment_id is None:
        return link_gone(request)
    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    # A reply's wish follows its conversation (replies are one level deep), as its mail says;
    # the link of a comment its owner did not vouch for speaks for that comment alone.
    in_reply = comment is not None and comment.parent_id is not None
    about = "replies in this conversation" if in_reply else "replies to this comment"
    own_only = comment is not None and not comment.owner_vouched
    if own_only:
        about = "replies, for this comment"
    # Pressed on the comment's status page (which sends its own link along): the way back.
    # Only there: whoever holds the mail's link alone is not given the comment's page.
    status = request.POST.get("status", "")
    back = None
    if status and comment_id_from_token(status) == comment_id:
        back = (reverse("comments:status", args=[status]), "Back to your comment")
    # Only the way back's own button sends "follow": a mail client's one-click POST always
    # stops, as it never sends mail again from the stop link.
    if request.method == "POST" and request.POST.get("follow"):
        return _follow_again(request, comment, back)
    if request.method != "POST" and not follows_replies(comment_id):
        # Opened again once done: asked again, the reader would think the first press failed.
        return _not_followed(request, comment, f"You get no mail about {about}.", back)
    return ask_then_act(
        request,
        done=lambda: _not_followed(
            request, comment, f"You will get no more mail about {about}.", back
        ),
        ask=(
            f"Stop the mail about {about}?"
            if in_reply or own_only
            else "Stop the mail about replies to your comment?"
        ),
        button="Unsubscribe",
        act=lambda: unsubscribe_replies(comment_id=comment_id),
    )


def _not_followed(request, comment, said, back):
    """No mail about replies, and the way back to it while some can come for the comment.
    The signed link is the key to both, as to Unsubscribe."""
    if comment is None or not reply_mail_can_come(comment):
        return notice_page(request, "No more mail about replies", said, way_on=back)
    context = {
        "heading": "No more mail about replies",
        "ask": "No more mail about replies",
        "detail": f"{said} Changed your mind?",
        "button": "Mail me when someone replies",
        "follow": True,
        "status": request.POST.get("status") if back else "",
        "way_on": back,
    }
    return commenter_page(request, "comments/unsubscribe.html", context)


def _follow_again(request, comment, back):
    """Mail about replies again, asked for as the box ticked at posting asks for it
    (comments.commenter_services.follow_replies), in the words of the comment's status page."""
    if comment is None or comment.withdrawn_at is not None:
        return link_gone(request, NO_REPLY_MAIL_DELETED)
    # Why none comes, read under the lock: deleted or decided since this page read the comment.
    why = follow_replies(comment_id=comment.pk)
    if why == NO_REPLY_MAIL_DELETED:
        return link_gone(request, why)  # its status page, the way back, is gone with it
    # A browser that keeps no cookies of ours (the status page set one) would lose the warning
    # on the way back, and land on its page with nothing said: it is said here instead.
    if back is not None and (not why or settings.CSRF_COOKIE_NAME in request.COOKIES):
        if why:
            messages.warning(request, why)
        # POST/redirect/GET, to the page's own words about the mail that now comes.
        return redirect(f"{back[0]}#reply-mail")
    if why:
        return notice_page(request, "No mail about replies", why, way_on=back)
    return notice_page(request, "Mail about replies", _reply_mail_said(comment))


def _reply_mail_said(comment) -> str:
    """The comment's status page's own words about its mail about replies, told to whoever
    holds the link: the same template, so the two never drift apart."""
    context = {"comment": comment, **commenter_context(comment)}
    return render_to_string("comments/reply_mail_words.html", context)


@signed_link
def stop_mail(request, token):
    address_id = links.address_id_from_stop(token)
    if address_id is None:
        return link_gone(request)
    address = CommenterAddress.objects.filter(pk=address_id).first()
    if address is None:
        # Forgotten with its last comment (or erased): the link stops nothing any more.
        return notice_page(
            request,
            "This link no longer works",
            "We forgot this address when its last comment was deleted or erased, so this link "
            "can stop nothing. If we mail you again, use the link in that newer mail.",
        )
    # Only the owner's own button sends "resume": a mail client's one-click POST always stops.
    if request.method == "POST" and request.POST.get("resume"):
        resume_mail(address_id=address_id)
        return notice_page(
            request,
            "Mail about comments again",
            "When you tick a box under a comment you write, we mail this address again.",
        )
    # Its owner, who asked for no mail and lost a comment's status link: the export link's page
    # leads back to each comment (not for an erased address, kept as a hash only until a comment
    # is written with it again: CommenterAddress.objects.take_back). Or who wants them erased:
    # the status page mails no link to a stopped address for a comment its owner never vouched
    # for (anyone may post with it), and this link is the owner's alone. Only those buttons
    # send "export" or "erase": they never stop mail, should mail have started again meanwhile.
    exportable = not address.email.startswith(ERASED_PREFIX)
    asked = next((a for a in links.PRIVACY_ACTIONS if request.POST.get(a)), None)
    if request.method == "POST" and asked:
        if not exportable:
            return notice_page(request, f"Nothing to {asked}", "We hold no comments from it.")
        sent = request_privacy_link(email=address.email, action=asked, by_owner=True)
        return owner_told(request, sent=sent, action=asked)
    if request.method != "POST" and address.mail_stopped_at is not None:
        context = {
            "heading": "Mail is stopped",
            "ask": "We send no mail about comments to this address. Send mail again?",
            "button": "Send me mail again",
            "resume": True,
            "export": exportable,
        }
        return commenter_page(request, "comments/unsubscribe.html", context)
    return ask_then_act(
        request,
        done=(
            "No more mail from us",
            "We will send no more mail about comments to this address, not even mail already "
            "on its way. Only a link to export or erase your comments still comes, if you ask "
            "for one from the status page of a comment you wrote or from this link. Changed "
            "your mind? Open the same link again.",
        ),
        ask="Stop all mail about comments to this address?",
        button="Stop all mail",
        act=lambda: stop_all_mail(address_id=address_id),
    )
