"""The privacy pages: the comment policy with its form to ask for a link that exports or
erases one's comments (from the page, or from a comment's status page), and where that mailed
link leads. Personal and signed, asked then acted on (comments.confirm_views.ask_then_act), as
the other commenter pages."""

from django.conf import settings
from django.db.models import F
from django.http import FileResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache

from comments import links
from comments.commenter_views import (
    comment_from_token,
    comment_gone,
    commenter_page,
    link_gone,
    notice_page,
    signed_link,
)
from comments.export import export_json, written_with
from comments.forms import PrivacyRequestForm
from comments.models import ERASED_PREFIX, Comment, CommenterAddress, CommentPolicyPage
from comments.models.commenter import mailbox_of
from comments.privacy import (
    PRIVACY_ASKS_PER_DAY,
    PRIVACY_MAIL_MINUTES,
    erase_comments,
    request_privacy_link,
    written_with_since,
)
from comments.ratelimit import (
    NOT_KNOWN,
    client_ip,
    erase_key,
    erased_by,
    hit_inbox_limit,
    hit_rate_limit,
)
from comments.status import standing
from comments.tokens import written_here
from newsportal.caching import personal_page
from newsportal.methods import get_or_post
from newsportal.paging import page_number, page_one_redirect, page_or_none

PRIVACY_SENT = (
    "If we hold comments made with that address, we have mailed it a link. It works for "
    f"{links.PRIVACY_DAYS} days; check your spam folder if nothing arrives. We send one such "
    f"link every {PRIVACY_MAIL_MINUTES} minutes at most, and none to an address whose owner "
    "stopped all mail (they ask from a comment's status page, or from the “Stop all mail” link "
    "in one of our mails)."
)

EXPORT_FILENAME = "my-comments.json"


def owner_told(request, *, sent: bool, action: str = "export"):
    """What the address's owner reads once they asked for the export link from the stop link
    mailed to the address (theirs alone): it says what happened, where anyone else reads
    PRIVACY_SENT whatever it was. "We have mailed it a link" after a second press within the
    limit sent them looking for a link that did not come. The limit counts the inbox
    (comments.notifications.claim_for_mailbox): the link that held this one back may have gone
    to another spelling of the address, and be about that spelling's comments."""
    minutes = PRIVACY_MAIL_MINUTES
    if not sent:
        return notice_page(
            request,
            "No new link yet",
            f"We mailed a link to your comments less than {minutes} minutes ago, to your "
            "address or another spelling of it that reaches the same inbox (with a “+” tag, "
            f"say), and send at most one every {minutes} minutes to an inbox, so none went "
            f"now. Look for that mail (and in your spam folder), or ask again in {minutes} "
            "minutes if it is not the link you wanted.",
        )
    what = (
        "a link to erase your comments: nothing is erased until you press its page’s button"
        if action == "erase"
        else "a link to export your comments; its page also leads to each comment’s status "
        "page, to edit or delete it"
    )
    return notice_page(
        request,
        "Check your mail",
        f"We have mailed your address {what}. It works for {links.PRIVACY_DAYS} days; check "
        "your spam folder if nothing arrives.",
    )


def _refused(request, email, *, counts_for_inbox: bool = True):
    """Why no link may be asked for now, as (words, status, Retry-After), or None: at most
    five asks an hour per IP, PRIVACY_ASKS_PER_DAY a day about one inbox (however its address
    is spelt), and none while the cache cannot count them (fail_open=False). Uncounted, one
    client could have us mail every commenter's address every PRIVACY_MAIL_MINUTES, the only
    limit then (per address, in the database); counted per IP alone, a stranger rotating IPs
    had one inbox mailed that often, 144 links a day. The day counts asks, not mails, and
    ends at midnight UTC for every inbox: its answer tells nobody whether the address has
    comments or stopped mail. counts_for_inbox=False: an ask from the status page of a comment
    its owner vouched for, or from the privacy page in the browser that wrote one
    (_owner_s_browser), neither counted nor refused by the day's count: a stranger's five
    asks would lock the owner out of their own data until midnight, and the owner's own asks
    would show a stranger, by an early refusal, that they asked today."""
    limit = hit_rate_limit(
        client_ip(request), kind="privacy", limit=5, window=3600, fail_open=False
    )
    if limit.allowed and not counts_for_inbox:
        return None
    if limit.allowed:
        limit = hit_inbox_limit(
            mailbox_of(email.strip().lower()),
            kind="privacy-inbox",
            limit=PRIVACY_ASKS_PER_DAY,
            window=86400,
        )
        if limit.allowed:
            return None
        if not limit.unavailable:
            words = (
                f"Links for this address were asked for {PRIVACY_ASKS_PER_DAY} times today, "
                "the most we take for one inbox in a day: nothing was mailed. Please try again "
                f"in {limit.wait}."
            )
            return words, 429, limit.retry_after
    if limit.unavailable:
        words = "We cannot send links just now: nothing was mailed. Please try again in a minute."
        return words, 503, limit.retry_after
    words = f"You have asked for several links. Please try again in {limit.wait}."
    return words, 429, limit.retry_after


def _owner_s_browser(request, email: str) -> bool:
    """This browser wrote (its signed comments_written cookie) a comment with an address of
    this inbox that its owner vouched for: the owner, asking from the privacy page, is as
    exempt from the day's count as from that comment's status page (_refused). What the
    browser proves, not what was typed: a stranger's comment typed with the address is not
    vouched for, so a stranger's browser is counted as anyone."""
    if not (ids := written_here(request)):
        return False
    inbox = mailbox_of(email.strip().lower())
    vouched = Comment.objects.filter(pk__in=ids, owner_vouched=True).exclude(email="")
    return any(mailbox_of(written) == inbox for written in vouched.values_list("email", flat=True))


@never_cache
@get_or_post
def status_privacy(request, token):
    """Export or Erase from a status page: the link goes to the comment's address. Anyone may
    post with any address and get a status page, so only a comment its owner vouched for (they
    confirmed the address, or said "It is mine") speaks for an owner who stopped all mail."""
    comment = comment_from_token(token)
    if comment is None:
        return comment_gone(request)
    if request.method != "POST":
        # The address of the "Check your mail" answer, opened again from the address bar or
        # the history: the comment's status page, where the buttons are (it was a blank 405).
        return redirect("comments:status", token)
    action = request.POST.get("action")
    if action not in links.PRIVACY_ACTIONS:
        return HttpResponseBadRequest("Choose Export or Erase.")
    # The way back, as "Stop mail about replies" on the same page gives it.
    back = (reverse("comments:status", args=[token]), "Back to your comment")
    if refused := _refused(request, comment.email, counts_for_inbox=not comment.owner_vouched):
        words, status, retry_after = refused
        response = notice_page(request, "Please wait a little", words, status=status, way_on=back)
        response["Retry-After"] = str(retry_after)
        return response
    # Said alike whatever happened, even from a comment its owner vouched for: a stranger's
    # comment may be one (vouched for by the rule before confirmations named their comment),
    # and "no new link yet" would tell them when the owner last asked. The stop link, the
    # owner's alone, says (owner_told).
    request_privacy_link(email=comment.email, action=action, by_owner=comment.owner_vouched)
    return notice_page(request, "Check your mail", PRIVACY_SENT, way_on=back)


@never_cache
@get_or_post
def privacy(request):
    """The comment policy and privacy page (written by staff), with the form to ask for a
    link to export or erase one's comments."""
    form = PrivacyRequestForm(request.POST if request.method == "POST" else None)
    status = retry_after = None
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        if action not in links.PRIVACY_ACTIONS:
            form.add_error(None, "Choose Export or Erase.")
        elif refused := _refused(
            request,
            form.cleaned_data["email"],
            counts_for_inbox=not _owner_s_browser(request, form.cleaned_data["email"]),
        ):
            # The form again, the address kept in it, to send once the wait is over.
            words, status, retry_after = refused
            form.add_error(None, words)
        else:
            request_privacy_link(email=form.cleaned_data["email"], action=action)
            return notice_page(request, "Check your mail", PRIVACY_SENT)
    context = {"page": CommentPolicyPage.current(), "form": form}
    response = commenter_page(request, "comments/privacy.html", context, status=status or 200)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@signed_link
def privacy_action(request, token):
    """Where the mailed link leads: download everything (JSON), or erase it all. The link is
    the key, as the other mailed links are: no cookie needed (a reader who blocks them could
    not erase), and none set."""
    found = links.privacy_request_from(token)
    # An erased address whose stop is kept (under a keyed hash) has nothing left to export.
    kept = CommenterAddress.objects.exclude(email__startswith=ERASED_PREFIX)
    address = found and kept.filter(pk=found[0]).first()
    # Erase pressed twice (a double click without JavaScript, whose second answer the browser
    # shows): answered as the first press was, not "This link no longer works", which read as
    # if the erase had failed. Opened again, the link is spent, as its page says.
    pressed_again = request.method == "POST" and found and found[1] == "erase"
    erased_here = erased_by(erase_key(token)) if pressed_again else None
    if not address and erased_here is not None:
        return _pressed_again(request, erased_here, found.mark)
    if not address:
        return link_gone(
            request,
            "It is out of date, was used already, or is incomplete (open it exactly as it came "
            "in our mail). Ask for a new one on the privacy page.",
            way_on=(reverse("comments:privacy"), "Ask for a new link on the privacy page"),
        )
    action = found[1]
    if action == "export" and request.GET.get("download"):
        return personal_page(_download(request, address))
    if action == "erase" and request.method == "POST":
        erased = erase_comments(email=address.email, pressed_in=erase_key(token))
        # A press that waited on the first one's locks erased none: the first one's count.
        return _erased(request, erased or erased_by(erase_key(token)) or 0)
    if action == "erase":
        context = {
            "action": action,
            "button": links.PRIVACY_BUTTONS[action],
            "count": written_with(address.email).count(),
            "mail_stopped": address.mail_stopped_at,
        }
        return commenter_page(request, "comments/privacy_action.html", context)
    return _export_page(request, address)


ERASED_NOT_COUNTED = (
    "It is gone from our site, and so are the comments made with it: Erase was pressed "
    "already, or they had been deleted from their pages. Where others had replied, the reply "
    "stays under “Comment withdrawn by its author”."
)


def _pressed_again(request, erased: int, mark: str):
    """Erase pressed again on a link whose address is gone: what its erase took (the cache's
    count), or NOT_KNOWN with the cache away. Comments written with the address since (its
    row went with the erase: no stop kept it) this link erases none of: it no longer works, as
    the cache up says once the count is gone; "your address is gone", "so are the comments
    made with it", only where none are left. A link mailed before links carried the mark
    cannot tell: with the cache away it says both, with it up the count (as before)."""
    if mark and written_with_since(mark):
        return link_gone(
            request,
            "Erase was pressed already, or the comments made with your address then had been "
            "deleted from their pages; comments written with it since are not erased by this "
            "link. Ask for a new one on the privacy page.",
            way_on=(reverse("comments:privacy"), "Ask for a new link on the privacy page"),
        )
    if mark or erased != NOT_KNOWN:
        return _erased(request, erased)
    return notice_page(
        request,
        "Your address is erased",
        "Erase was pressed already, or its comments had been deleted from their pages: the "
        "address and the comments made with it then are gone from our site. This link does "
        "not erase any written with it since: for those, ask for a new link on the privacy page.",
        way_on=(reverse("comments:privacy"), "Ask for a new link on the privacy page"),
    )


def _erased(request, erased: int):
    if erased == NOT_KNOWN:
        # The cache away, this press erased nothing, or found the address gone: no count to
        # give, and "0 comments" or "This link no longer works" read as a failed erase. What
        # the database shows (none left, _pressed_again) is true whichever press did it.
        return notice_page(request, "Your address is erased", ERASED_NOT_COUNTED)
    if not erased:  # each deleted from its page before: "0 comments and your address…"
        return notice_page(
            request,
            "Your address is erased",
            "It is gone from our site; no comments made with it were left.",
        )
    return notice_page(
        request,
        "Your comments are erased",
        f"{erased} comment{'s' if erased != 1 else ''} and your address are gone from our "
        "site. Where others had replied, the reply stays under “Comment withdrawn by its "
        "author”.",
    )


def _download(request, address):
    if request.method == "HEAD":
        # The headers alone (a download manager or link checker asking): reading every comment
        # and writing the file is for the GET that takes it. Its length is known only once it
        # is written, which RFC 9110 (9.3.2) lets a HEAD leave out; streamed, so nothing adds
        # a Content-Length of 0 either.
        response = StreamingHttpResponse((), content_type="application/json")
        response["Content-Disposition"] = content_disposition_header(True, EXPORT_FILENAME)
        return response
    return FileResponse(
        export_json(address=address, written_here=written_here(request)),
        as_attachment=True,
        filename=EXPORT_FILENAME,
        content_type="application/json",
    )


def _export_page(request, address):
    """The export link's page: the download, and each comment with its status page (to edit
    or delete it) for a reader who lost that link, newest first, a page at a time as the
    site's other lists (newsportal.paging). The signed link is the page's address, so its
    pages are found under it; a page that is not there is this reader's own 404, as private
    as the rest."""
    moved = page_one_redirect(request)
    if moved is not None:
        return personal_page(moved)
    number = page_number(request)
    # Each row says where its comment stands as its status page does (comments.status), which
    # asks of a reply how the comment it answers stands: read in the page's one query.
    newest_first = (
        written_with(address.email)
        .annotate(
            parent_status=F("parent__status"), parent_taken_down_at=F("parent__taken_down_at")
        )
        .order_by("-created_at", "-pk")
    )
    page = number and page_or_none(newest_first, settings.COMMENTS_PER_PAGE, number)
    if page is None:
        return notice_page(
            request,
            "No such page",
            "Your comments have no page by that number (any you deleted since are gone from "
            "the list, which may be shorter now).",
            status=404,
            way_on=(request.path, "See your newest comments"),
        )
    here = set(written_here(request))
    for comment in page:
        comment.standing = standing(
            comment,
            parent_status=comment.parent_status,
            parent_taken_down=comment.parent_taken_down_at is not None,
        )
        # Anyone can type an address: the list says which comments its owner showed are
        # theirs (or this browser wrote), as the download does (comments.export._exported).
        comment.shown_yours = comment.owner_vouched or comment.pk in here
    context = {
        "action": "export",
        "button": links.PRIVACY_BUTTONS["export"],
        "count": page.paginator.count,
        "page_obj": page,
        "pagination_label": "More of your comments",
        "not_all_shown_yours": not all(comment.shown_yours for comment in page),
    }
    return commenter_page(request, "comments/privacy_action.html", context)
