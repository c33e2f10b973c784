"""Pages a commenter reaches by a private link (their status page, a mailed link): edit,
delete, follow replies, ask again for the mail that asks its owner (confirming an address or
a comment: comments.confirm_views; unsubscribe and stop all mail: comments.stop_views; export
and erase: comments.privacy_views). Every one is personal: never cached, never indexed. The links
themselves are the keys (signed): a wrong or spent one answers 404 with the same words
everywhere ("This link no longer works") and what to do instead, except Delete or Erase pressed
again by whoever pressed it (comments.ratelimit): that press answers as the first did."""

import re

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from articles.models import Article
from comments import links
from comments.ask_again import ask_again
from comments.closing import comments_open, way_back_to
from comments.commenter_services import (
    CLOSED,
    EDITED_SINCE,
    GONE,
    MAX_EDITS,
    NO_REPLY_MAIL_DELETED,
    can_edit,
    edit_comment,
    edit_deadline,
    edits_used_up,
    follow_replies,
    reply_mail_can_come,
    saved_by_an_earlier_press,
    why_not_editable,
)
from comments.forms import CommentEditForm
from comments.models import Comment, CommenterAddress, ModerationPolicy, ReplySubscription
from comments.notifications import mail_stopped_for, mail_waits_for_owner
from comments.privacy import delete_own_comment
from comments.ratelimit import delete_key, deleted_from
from comments.status import (
    as_its_writer_sees,
    replies_shown_with,
    say_updated,
    stands_now,
)
from comments.tokens import comment_id_from_token, status_token
from newsportal.caching import personal_page
from newsportal.methods import get_or_post, read_only

# Said alike whatever happened: a status page is anyone's who typed the address, and must not
# tell them whether it was asked lately, is confirmed, or its owner stopped all mail.
ASKED_AGAIN = (
    "Unless we asked in the last {hours} hours, a new mail is on its way to the address. Its "
    "link works for {days} days; look in the spam folder too."
)
EDITED_ELSEWHERE = (
    "Not saved: you changed this comment in another tab or window since this page was opened. "
    "Its words now are shown above; yours are still in the box: Save changes puts them in "
    "their place."
)


def signed_link(view):
    """A link mailed to a commenter: opening it asks, its button acts. The signed token in the
    link is the protection (the reader may have no cookie, as for one-click unsubscribe), so
    the button needs no CSRF token."""
    return never_cache(csrf_exempt(require_http_methods(["GET", "HEAD", "POST"])(view)))


def commenter_page(request, template, context=None, status=200):
    page = personal_page(render(request, template, context or {}, status=status))
    return links.keep_address_to_itself(page)


def notice_page(request, heading, *paragraphs, status=200, way_on=None):
    """way_on: (address, words) of the page a reader goes on to, above the front page."""
    context = {"heading": heading, "paragraphs": paragraphs, "way_on": way_on}
    return commenter_page(request, "comments/notice.html", context, status)


def link_gone(
    request, why="It is incomplete: open it exactly as it came in our mail.", *, way_on=None
):
    return notice_page(request, "This link no longer works", why, status=404, way_on=way_on)


def _ways_gone() -> str:
    # Every way a comment goes, said alike: "deleted" alone, to a writer who deleted nothing
    # (turned down, or held for its address while they read "waiting", then removed by
    # comments.privacy.prune_old_data), was a riddle.
    days = settings.COMMENTS_KEEP_REJECTED_DAYS
    return (
        "deleted from its page, erased at its address’s request, or, not published, removed "
        f"after {days} days"
    )


def comment_gone(request):
    return link_gone(
        request,
        f"The comment it was for was {_ways_gone()}; or the link is incomplete: use it exactly "
        "as we gave it to you.",
    )


def _edit_of_a_gone_comment(request, token):
    """An edit sent after its comment went (deleted in another tab, or by whoever else holds
    the link, erased, pruned): a bare "This link no longer works" lost the words typed."""
    text = request.POST.get("body", "").strip()  # none in a GET
    if (comment_id := comment_id_from_token(token)) is None or not text:
        return comment_gone(request)
    # The way to post the words anew. Withdrawn under a placeholder, the row still names its
    # story; deleted outright, only the Edit page's form does (templates/comments/edit.html).
    # That field is the sender's to change: only a story readers see is linked.
    placeholder = Comment.objects.filter(pk=comment_id).values("article_id")
    article = Article.objects.published().filter(pk__in=placeholder).first()
    drawn_for = request.POST.get("article", "")
    # A forged number past the database's integers would be a server error, not a page.
    if article is None and re.fullmatch(r"[0-9]{1,18}", drawn_for):
        article = Article.objects.published().filter(pk=int(drawn_for)).first()
    context = {
        "way_on": article and way_back_to(article),
        "heading": "Not saved: this comment was withdrawn",
        "paragraphs": [
            f"Your edit was not saved: while you wrote, the comment was {_ways_gone()} (from "
            "another tab, or by anyone else who has its link). Here is your text, to keep a copy."
        ],
        "unsent_text": text,
        "unsent_label": "Your edit (not saved)",
    }
    return commenter_page(request, "comments/notice.html", context, status=404)


def comment_from_token(token) -> Comment | None:
    """The comment a status or control link names (None for a bad link or a withdrawn one)."""
    comment_id = comment_id_from_token(token)
    if comment_id is None:
        return None
    found = Comment.objects.select_related("article").filter(withdrawn_at__isnull=True)
    return found.filter(pk=comment_id).first()


def commenter_context(comment: Comment) -> dict:
    """What the status page offers its commenter (comments.views.comment_status)."""
    subscribed = ReplySubscription.objects.filter(comment=comment).exists()
    # The box "E-mail me when my comment has been reviewed", while that mail is still to come.
    waiting = as_its_writer_sees(comment) == Comment.Status.PENDING
    review_mail = comment.notify_on_decision and waiting
    policy = ModerationPolicy.current()  # read once: whether it is open, what an edit does
    is_open = comments_open(comment.article, policy)
    waits = mail_waits_for_owner(comment)
    # Said to its owner only (to anyone else, it would say whose address it is).
    mail_stopped = comment.owner_vouched and mail_stopped_for(comment.email)
    # Only to a writer who showed they own the address: to anyone else, it would say
    # whether the address they typed is a confirmed commenter's.
    address_confirmed = (
        (subscribed or review_mail)
        and comment.owner_vouched
        and CommenterAddress.objects.filter(email=comment.email, verified_at__isnull=False).exists()
    )
    return {
        # Said, so that the address's owner knows to answer the question.
        "mail_waits_for_owner": waits,
        # The mail that asks them may be lost or out of date: it is asked for again here
        # (comments.ask_again), the same offer whatever the address, as the words above.
        "can_ask_again": waits
        or (
            comment.owner_vouched
            and (subscribed or review_mail)
            and as_its_writer_sees(comment) != Comment.Status.SPAM
            and not (mail_stopped or address_confirmed)
        ),
        "can_edit": can_edit(comment, is_open=is_open),
        # What an edit of an approved comment does (comments/what_an_edit_does.html).
        "clean_edits_kept": policy.publish_clean_edits,
        # Replies go off the page with it (comments/what_an_edit_does.html, replies_off.html).
        "replies_shown": replies_shown_with(comment),
        "comments_closed": not is_open,
        "edit_deadline": edit_deadline(comment),
        "edit_minutes": settings.COMMENTS_EDIT_MINUTES,
        "edits_used_up": edits_used_up(comment),
        "max_edits": MAX_EDITS,
        # Only where it has the wish: that link answers for the address's wishes in the whole
        # conversation, which are no business of whoever typed the address without one.
        "unsubscribe_path": links.unsubscribe_path(comment.pk) if subscribed else None,
        "can_follow_replies": not subscribed and reply_mail_can_come(comment),
        "review_mail": review_mail,
        "mail_stopped": mail_stopped,
        "address_confirmed": address_confirmed,
        "token": status_token(comment),
    }


@never_cache
@get_or_post
def edit(request, token):
    comment = comment_from_token(token)
    if comment is None:
        return _edit_of_a_gone_comment(request, token)
    status_url = comment.status_url
    form = CommentEditForm(
        request.POST if request.method == "POST" else None,
        initial={"body": comment.body, "revision": comment.revision},
    )
    if not can_edit(comment):
        why = why_not_editable(comment)
        if request.method != "POST":
            # Its status page: the comment as it stands, and its Delete button.
            back = (status_url, "Back to your comment")
            return notice_page(
                request, "This comment can no longer be edited", why, status=403, way_on=back
            )
        form.is_valid()
        if _pressed_again(comment, form):
            # Its last edit, or one the filters sent to spam, saved by the first press.
            say_updated(request, comment)
            return redirect(status_url)
        return _closed_meanwhile(request, comment, form, token, why)
    if request.method == "POST" and form.is_valid():
        drawn_at = form.cleaned_data.get("revision")
        try:
            outcome = edit_comment(
                comment=comment, body=form.cleaned_data["body"], drawn_at=drawn_at
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) == GONE:
                return _edit_of_a_gone_comment(request, token)
            if getattr(exc, "code", None) == EDITED_SINCE:
                return _edited_elsewhere(request, token)
            if getattr(exc, "code", None) == CLOSED:  # found so under the lock: read it again
                comment = comment_from_token(token) or comment
                return _closed_meanwhile(request, comment, form, token, why_not_editable(comment))
            for field, errors in exc.update_error_dict({}).items():
                for error in errors:
                    form.add_error("body" if field == "body" else None, error)
        else:
            # Saved by an earlier press of this form (or another tab's same words): updated.
            saved_since = drawn_at is not None and outcome.revision > drawn_at
            if not (outcome.changed or saved_since):
                messages.info(request, "Nothing changed: your comment is as it was.")
            else:
                # Read again, for where it stands now.
                say_updated(request, comment_from_token(token) or comment)
            return redirect(status_url)
    return _edit_page(request, comment, form)


def _closed_meanwhile(request, comment, form, token, why: str):
    """Decided, out of time, or edited its last time from another tab while its author wrote:
    the new words come back to keep, with why, and no Save that could only be refused."""
    form.add_error(None, f"This comment can no longer be edited. {why}")
    context = {"comment": comment, "form": form, "closed": True, "token": token}
    return commenter_page(request, "comments/edit.html", context, status=403)


def _edit_page(request, comment, form, *, status=200, **more):
    context = {
        "comment": comment,
        "form": form,
        "standing": stands_now(comment),
        # What an edit of an approved comment does (comments/what_an_edit_does.html).
        "clean_edits_kept": comment.status == Comment.Status.APPROVED
        and ModerationPolicy.current().publish_clean_edits,
        "replies_shown": replies_shown_with(comment),
        "edit_deadline": edit_deadline(comment),  # comments/edit_until.html
        **more,
    }
    return commenter_page(request, "comments/edit.html", context, status=status)


def _pressed_again(comment, form) -> bool:
    """Save pressed again (a double click): its words are the comment's, saved since its form
    was drawn, by the first press."""
    data = getattr(form, "cleaned_data", {})
    return "body" in data and saved_by_an_earlier_press(
        comment, body=data["body"], drawn_at=data.get("revision")
    )


def _edited_elsewhere(request, token):
    """Words sent from a page drawn before another edit was saved (another tab or window):
    nothing saved, where they replaced the newer words unseen. The words saved are shown
    beside those typed here, kept in a form drawn at the comment's revision now, so that
    pressing Save puts them in place on purpose."""
    comment = comment_from_token(token)
    if comment is None:
        return _edit_of_a_gone_comment(request, token)
    data = request.POST.copy()
    data["revision"] = str(comment.revision)
    form = CommentEditForm(data)
    form.is_valid()
    form.add_error(None, EDITED_ELSEWHERE)
    return _edit_page(request, comment, form, status=409, saved_words=comment.body)


@never_cache
@get_or_post
def delete(request, token):
    comment = comment_from_token(token)
    if comment is None:
        return _delete_of_a_gone_comment(request, token)
    if request.method == "POST":
        if not delete_own_comment(comment=comment, pressed_in=delete_key(request, comment.pk)):
            # Gone while this press waited on an earlier one, or another way.
            return _delete_of_a_gone_comment(request, token)
        # POST/redirect/GET: a reload of the answer does not send the delete again.
        return redirect("comments:deleted", article_id=comment.article_id)
    # Replies readers see: those are what stays under the placeholder it leaves.
    has_replies = Comment.objects.approved().filter(parent=comment).exists()
    context = {"comment": comment, "has_replies": has_replies}
    return commenter_page(request, "comments/delete.html", context)


def _delete_of_a_gone_comment(request, token):
    """The delete page, in the browser that deleted its comment: Delete pressed again (a double
    click without JavaScript, whose second answer the browser shows), or the page opened again
    (Back, which fetches it anew), is answered as the first press was. Anyone else, or a
    comment gone another way (a moderator, an erase, the pruning), hears what a link that
    never worked hears: nothing the link did not say."""
    comment_id = comment_id_from_token(token)
    if comment_id is not None:
        article_id = deleted_from(delete_key(request, comment_id))
        if article_id is not None:
            return redirect("comments:deleted", article_id=article_id)
    return comment_gone(request)


@never_cache
@read_only
def deleted(request, article_id):
    """After a delete: where it was, with the way back while the article is on the site."""
    # Anyone may open this address: it names an article only while readers may see it (never
    # a draft's or an embargoed story's headline).
    article = Article.objects.published().filter(pk=article_id).first()
    return commenter_page(request, "comments/deleted.html", {"article": article})


@never_cache
@get_or_post
def follow(request, token):
    """The status page's "Mail me when someone replies": the box left empty at posting, ticked
    now (comments.commenter_services.follow_replies)."""
    comment = comment_from_token(token)
    if comment is None:
        return comment_gone(request)
    if request.method == "POST" and request.POST.get("ask_again"):
        # "Mail it again" from a status page drawn before it had its own address (it posted
        # here, with this field): it asks again as pressed, and follows no replies unasked.
        return _ask_again(request, comment, token)
    if request.method == "POST" and (why := follow_replies(comment_id=comment.pk)):
        if why == NO_REPLY_MAIL_DELETED:
            # Deleted (from another tab, say) while this press was on its way: what a press a
            # moment later hears, without a detour by its status page, gone too.
            return comment_gone(request)
        # Decided, or its story taken off the site, since the page was drawn: said as found
        # under the lock (the comment as this press first read it had no reason to give, and
        # an empty warning is dropped: the press said nothing).
        messages.warning(request, why)
    # POST/redirect/GET, to the page's own words about the mail that comes (a GET: this
    # address opened again from the history), at the link it came from.
    return redirect(reverse("comments:status", args=[token]) + "#reply-mail")


@never_cache
@csrf_exempt  # 405 for another method before the CSRF check, as get_or_post gives it
@require_POST
@csrf_protect
def ask_again_view(request, token):
    """The status page's "Mail it again", for the mail that asks the address's owner to answer
    (comments.ask_again): POST only, from the page's form with its CSRF token."""
    comment = comment_from_token(token)
    if comment is None:
        return comment_gone(request)
    return _ask_again(request, comment, token)


def _ask_again(request, comment, token):
    ask_again(comment_id=comment.pk)
    hours, days = settings.COMMENTS_CONFIRM_RESEND_HOURS, links.CONFIRM_DAYS
    messages.info(request, ASKED_AGAIN.format(hours=hours, days=days))
    return redirect(reverse("comments:status", args=[token]) + "#mail-asked")
