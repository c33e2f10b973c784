"""The links that stop mail, on every mail to a commenter and on their status page: no more
mail about a conversation's replies (unsubscribe), or none at all to the address (stop all
mail). Signed links, asked then acted on, as the other commenter pages
(comments.commenter_views)."""

from django.urls import reverse

from comments import links
from comments.commenter_services import (
    follows_replies,
    resume_mail,
    stop_all_mail,
    unsubscribe_replies,
)
from comments.commenter_views import (
    ask_then_act,
    commenter_page,
    link_gone,
    notice_page,
    signed_link,
)
from comments.models import ERASED_PREFIX, Comment, CommenterAddress
from comments.privacy import PRIVACY_MAIL_MINUTES, request_privacy_link
from comments.tokens import comment_id_from_token

EXPORT_SENT = (
    "We have mailed this address a link to export your comments; its page leads to each "
    f"comment’s status page. It works for {links.PRIVACY_DAYS} days; we send one such link every "
    f"{PRIVACY_MAIL_MINUTES} minutes at most."
)


@signed_link
def unsubscribe(request, token):
    comment_id = links.comment_id_from_unsubscribe(token)
    if comment_id is None:
        return link_gone(request)
    # A reply's wish follows its conversation (replies are one level deep), as its mail says.
    in_reply = Comment.objects.filter(pk=comment_id, parent__isnull=False).exists()
    about = "replies in this conversation" if in_reply else "replies to this comment"
    if request.method != "POST" and not follows_replies(comment_id):
        # Opened again once done: asked again, the reader would think the first press failed.
        return notice_page(request, "No more mail about replies", f"You get no mail about {about}.")
    # Pressed on the comment's status page (which sends its own link along): the way back.
    status = request.POST.get("status", "")
    from_status = status and comment_id_from_token(status) == comment_id
    return ask_then_act(
        request,
        done=("No more mail about replies", f"You will get no more mail about {about}."),
        ask=(
            "Stop the mail about replies in this conversation?"
            if in_reply
            else "Stop the mail about replies to your comment?"
        ),
        button="Unsubscribe",
        act=lambda: unsubscribe_replies(comment_id=comment_id),
        way_on=(reverse("comments:status", args=[status]), "Back to your comment")
        if from_status
        else None,
    )


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
    # leads back to each comment (not for an erased address, kept as a hash only). Only that
    # button sends "export": it never stops mail, should mail have started again meanwhile.
    exportable = not address.email.startswith(ERASED_PREFIX)
    if request.method == "POST" and request.POST.get("export"):
        if not exportable:
            return notice_page(request, "Nothing to export", "We hold no comments from it.")
        request_privacy_link(email=address.email, action="export", by_owner=True)
        return notice_page(request, "Check your mail", EXPORT_SENT)
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
