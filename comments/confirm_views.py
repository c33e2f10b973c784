"""The links mailed to confirm an address ("Confirm your e-mail address?") or a comment ("Is
this comment yours?"), and the pattern every mailed link follows (ask_then_act: opening it
asks, its button acts; the unsubscribe and stop links use it too, comments.stop_views). Pages
and keys as the other commenter pages (comments.commenter_views)."""

from django.utils import timezone

from comments import links
from comments.commenter_services import confirm_address, confirm_comment_mail
from comments.commenter_views import commenter_page, link_gone, notice_page, signed_link
from comments.models import Comment
from comments.tokens import confirm_about, written_here


def _confirmation_link(token) -> tuple[int, int | None] | None:
    """The address a confirmation link confirms, and the comment whose mail wish asked for it
    (None in a link mailed before links named it)."""
    if named := confirm_about(token, links.CONFIRM_DAYS):
        return named
    address_id = links.address_id_from_confirm(token)
    return None if address_id is None else (address_id, None)


def _sent_on(comment: Comment) -> str:
    sent = timezone.localtime(comment.created_at)
    return f"Someone commented on {comment.article_named} on {sent.day} {sent:%b %Y at %H:%M %Z}"


@signed_link
def confirm(request, token):
    if (link := _confirmation_link(token)) is None:
        return _stale_confirmation(request)
    address_id, comment_id = link
    # Which comment confirming vouches for, in our words (what was written never reaches the
    # address's owner): the one that asked, and those written from this browser.
    found = Comment.objects.filter(pk=comment_id, withdrawn_at__isnull=True)
    about = found.select_related("article").first() if comment_id else None
    return ask_then_act(
        request,
        ask="Confirm your e-mail address?",
        detail=f"{_sent_on(about)} with this address and asked us to e-mail them." if about else "",
        button="Confirm my address",
        act=lambda: (
            confirm_address(
                address_id=address_id, comment_id=comment_id, written_here=written_here(request)
            )
            is not None
        ),
        done=(
            "Your e-mail address is confirmed",
            "Thank you. We will mail you what you asked for, and nothing else; every mail has a "
            "link to stop them.",
        ),
    )


@signed_link
def confirm_comment(request, token):
    """A comment asked for mail at a confirmed address from elsewhere: its owner says whether
    it is theirs."""
    comment_id = links.comment_id_from_confirm_comment(token)
    if comment_id is None:
        return _stale_confirmation(request)
    comment = _asked_about(comment_id)
    if (answered := _nothing_to_ask(request, comment)) is not None:
        return answered
    # Which comment, in our words: what a stranger wrote never reaches the address's owner.
    return ask_then_act(
        request,
        ask="Is this comment yours?",
        detail=(
            f"{_sent_on(comment)} with your address and asked us to e-mail them about it. "
            "Anyone can type an address, and we had not seen yours used to comment from that "
            "browser before, so we ask you first."
        ),
        button="It is mine",
        act=lambda: confirm_comment_mail(comment_id=comment_id, written_here=written_here(request)),
        # A press that waited on another's lock (a double click, whose second answer the browser
        # shows; Delete in the status page's tab) found it answered or deleted: said so, as to a
        # press after it, not "out of date", which read as if the answer was lost.
        spent=lambda: _nothing_to_ask(request, _asked_about(comment_id)),
        done=(
            "Thank you",
            "From now on we mail you what you asked for about this comment (its review and its "
            "replies, if they came meanwhile, come now); every mail has a link to stop them. "
            "Should another comment sent with your address be waiting for the same answer, we "
            "ask about it next.",
        ),
    )


def _asked_about(comment_id: int) -> Comment | None:
    # Deleted by its writer (or left emptied where replies hang on it): nothing to answer.
    found = Comment.objects.filter(pk=comment_id, withdrawn_at__isnull=True)
    return found.select_related("article").first()


def _nothing_to_ask(request, comment: Comment | None):
    """What the question's link says once nothing is left to ask (None while something is): the
    comment was deleted, or is known to be theirs already (a second press, the mail opened
    again, the address confirmed since). Asked again, or told the link is "out of date", its
    owner would think the answer was lost."""
    if comment is None:
        why = "The comment it asked about was deleted: nothing about it will be mailed to you."
        return link_gone(request, why)
    if comment.owner_vouched:
        return link_gone(
            request,
            "This comment is already known to be yours: we mail you what you asked for about "
            "it, and every mail has a link to stop them.",
        )
    return None


def _stale_confirmation(request):
    return link_gone(
        request,
        "It is out of date, or incomplete (open it exactly as it came in our mail). For a new "
        "one, press “Mail it again” on your comment’s status page, or tick an e-mail box when "
        "you next comment.",
    )


def ask_then_act(request, *, ask, button, act, done, detail="", way_on=None, spent=None):
    """Opening a mailed link asks; only its button acts, as mail scanners follow every link in
    a mail. RFC 8058: a mail client POSTs `List-Unsubscribe=One-Click` here without cookies or
    a token, and must get a 2xx straight away: the signed link is the protection. `act`
    returning False: the link's row is gone or done with (`spent`: a function drawing what
    to say then, when it knows better than "out of date"). `done`: the heading and the words,
    or a function drawing the page.
    The question is the page's title too: a title saying it was done ("No more mail from us"),
    the first thing a tab shows and a screen reader says, sent readers away before the button."""
    if request.method != "POST":
        context = {"heading": ask, "ask": ask, "detail": detail, "button": button}
        return commenter_page(request, "comments/unsubscribe.html", context)
    if act() is False:
        said = spent() if spent else None
        return _stale_confirmation(request) if said is None else said
    if callable(done):
        return done()
    return notice_page(request, *done, way_on=way_on)
