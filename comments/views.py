import logging
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db import DatabaseError
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from articles.models import Article
from articles.pages import article_page_parts
from comments.closing import comments_open, way_back_to
from comments.commenter_views import comment_from_token, comment_gone, commenter_context
from comments.forms import CommentForm, account_identity
from comments.links import keep_address_to_itself, public_path
from comments.models import Comment
from comments.ratelimit import (
    check_flood,
    client_ip,
    forget_post,
    give_back,
    hit_rate_limit,
    hit_tries_limit,
    note_post,
    post_key,
    release_flood,
    stored_as,
)
from comments.report_answers import reason_told
from comments.services import submit_comment
from comments.status import Standing, parent_said, standing
from comments.tokens import form_token, remember_written, written_here
from newsportal.caching import mark_personal, personal_page, signed_in_user
from newsportal.methods import read_only

logger = logging.getLogger(__name__)

COMMENT_RECEIVED = "Comment sent successfully! We will review it in the next few hours."
# A returning commenter the policy approves at once (ModerationPolicy.auto_approve_returning).
COMMENT_PUBLISHED = "Comment sent successfully! It is published."
DUPLICATE = "You have already sent this comment: there is no need to send it again."
# Set with the answer to a stored comment, for comments.js on the article (so readable by
# scripts; it says only that a comment went): the landing's own script usually learns it from the
# status link, but a reader may reload before that script ran, and then the draft kept in the
# tab would come back as if never sent. Front caches drop it (it is no personal cookie).
SENT_COOKIE = "comment-sent"


def article_page(
    request, article, *, form, status=200, retry_after=None, reply_to=None, unsent_text=""
):
    """The article again, drawn for this reader alone: their text kept, the errors next to the
    fields (a form of None: comments are closed, and unsent_text is what they wrote). A 200 for
    form errors, as Django's FormView answers: an error status makes browsers log an error."""
    if reply_to is None and form is not None and hasattr(form, "cleaned_data"):
        reply_to = form.cleaned_data.get("parent")
    context = {
        "article": article,
        **article_page_parts(article, shared_comments=False),
        "is_preview": False,
        "signed_in_as": signed_in_user(request),
        "comment_form": form,
        "comment_reply_to": reply_to,
        "comment_unsent_text": unsent_text,
    }
    response = render(request, "articles/article_detail.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return mark_personal(response)


class SkipFiles(FileUploadHandler):
    """Django's way to drop the file parts of a multipart body unread into memory or disk."""

    def new_file(self, *args, **kwargs):
        raise SkipFile  # so Django never calls receive_data_chunk() or file_complete()


@csrf_exempt  # only so the size check comes first: CSRF is checked right after, in _post
@require_http_methods(["GET", "HEAD", "POST"])
def post_comment(request, article_id):
    if request.method != "POST":
        # The address of every form sent back (errors, "send once more", a wait): opened again
        # from the address bar or the history, it leads to the article's form (where, with
        # JavaScript, the draft comes back), not to a blank 405; to its comments once closed.
        article = get_object_or_404(Article.objects.published(), pk=article_id)
        return redirect(way_back_to(article)[0])
    # The form sends no files: a body larger than any comment is refused unread, and file parts
    # in a smaller one are dropped rather than written to disk.
    if int(request.META.get("CONTENT_LENGTH") or 0) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        return render(request, "comments/too_large.html", status=413)
    request.upload_handlers = [SkipFiles(request)]
    # An oversized body raises when read; CSRF middleware would read it first and answer with
    # a bare 400, so read it here and tell the reader what happened.
    try:
        request.POST  # noqa: B018
    except (RequestDataTooBig, TooManyFieldsSent):
        return render(request, "comments/too_large.html", status=413)
    return _post(request, article_id)


@csrf_protect
def _post(request, article_id):
    article = Article.objects.published().select_related("section").filter(pk=article_id).first()
    if article is None:
        return article_gone(request)
    if not comments_open(article):
        return closed_while_writing(request, article)
    # Two allowances (comments.ratelimit.TRIES_FACTOR says why): every post counts among the
    # tries, and a comment among the comments only once it is stored, so a form sent back with
    # errors never costs the reader a comment, and a bot that never gets it right is limited too.
    ip = client_ip(request)
    tries = hit_tries_limit(ip)
    user = signed_in_user(request)
    form = CommentForm(request.POST, article=article, user=user)
    if not tries.allowed:
        return _limited(request, article, form, tries, TRIES_LIMITED)
    if form.is_bot:
        # Bots get the answer they hope for, and nothing is stored; counted as a comment, so
        # that a bot filling the honeypot meets the comments' limit as a commenter would.
        if not (counted := hit_rate_limit(ip)).allowed:
            return _limited(request, article, form, counted, COMMENTS_LIMITED)
        logger.info("comment honeypot filled on article %s", article.pk)
        messages.success(request, COMMENT_RECEIVED)
        return redirect(article.get_absolute_url() + "#comments")
    if not form.is_valid():
        return article_page(request, article, form=form)

    data = form.cleaned_data
    parent = data["parent"]
    post = post_key(request, article.pk, parent and parent.pk, data["body"])
    # Before the flood check, so a repeat (its first answer lost) starts no wait. Known by the
    # browser or the connection, never the address alone: the answer would tell anyone who
    # types an address with a published comment's words whether that address wrote it.
    written = written_here(request)
    repeated = Comment.objects.repeating(
        article, parent=parent, ids=written, ip=ip, email=data["email"], body=data["body"]
    )
    sent = repeated.first()
    # The address's owner, writing from a browser that showed it is theirs, waits on its own
    # connection's interval only: anyone may type the address, and one comment with it every
    # interval from elsewhere would otherwise hold its owner back.
    owners = Comment.objects.filter(pk__in=written, email=data["email"], owner_vouched=True)
    waits_for = "" if written and owners.exists() else data["email"]
    if sent is None:
        flood = check_flood(ip=ip, email=waits_for)
        # A double click's first press may still be on its way: its answer, once stored (this
        # browser's, by its CSRF cookie, even if its connection changed meanwhile).
        if not flood.allowed and (first_press := stored_as(post, wait=3)):
            sent = Comment.objects.repeating(
                article, parent=parent, ids=[first_press], ip=None, email=None, body=data["body"]
            ).first()
        if sent is None and not flood.allowed:
            form.add_error(None, f"Please wait {flood.wait} before sending another comment.")
            return article_page(
                request, article, form=form, status=429, retry_after=flood.retry_after
            )
    if sent is not None:
        if stored_as(post) == sent.pk:
            return _answer_sent(request, article, sent)  # what this browser's first press lost
        form.add_error("body", _already_sent(request, sent))
        return article_page(request, article, form=form)
    # Counted here, as it is stored, and not before: a repeat of a comment already stored (a
    # double click, a press again after a lost answer) is answered above as what it is, even at
    # the limit. Of two posts at once from one connection, only as many as it allows get through.
    counted = hit_rate_limit(ip)
    if not counted.allowed:
        give_back(counted)  # what its /64 took, when its /48 refused it
        release_flood(ip=ip, email=waits_for)
        return _limited(request, article, form, counted, COMMENTS_LIMITED)
    note_post(post)
    try:
        data.pop("website")  # the honeypot, empty by now
        comment = submit_comment(article=article, ip=ip, user=user, written_before=written, **data)
    except ValidationError as exc:
        release_flood(ip=ip, email=waits_for)
        give_back(counted)
        forget_post(post)
        form.add_error(None, exc)
        if form.has_error("parent"):
            form.forget_parent()  # it left the page since the form's own check
        return article_page(request, article, form=form)
    except DatabaseError:
        release_flood(ip=ip, email=waits_for)  # the database failed: nothing was stored
        give_back(counted)
        forget_post(post)
        raise
    note_post(post, comment.pk)
    return _answer_sent(request, article, comment)


# The two limits' words (comments.ratelimit.TRIES_FACTOR): each says what it counted.
COMMENTS_LIMITED = (
    "Several comments were sent from your connection in a short time; to keep spam out we take "
    "only a few from one connection at a time."
)
TRIES_LIMITED = (
    "The comment form was sent from your connection many times in a short time (with those it "
    "sent back for errors); to keep spam out we take only so many tries from one connection at "
    "a time."
)


def _limited(request, article, form, verdict, said):
    """429, the reader's words back with the form, to send once the wait is over."""
    # The instant, then the local clock: over a clock change local time plus a wait is off.
    retry_at = timezone.localtime(timezone.now() + timedelta(seconds=verdict.retry_after))
    form.add_error(
        None,
        f"{said} Please try again in {verdict.wait}, after {retry_at:%H:%M %Z}. Your text is "
        "kept below.",
    )
    return article_page(request, article, form=form, status=429, retry_after=verdict.retry_after)


def _answer_sent(request, article, comment):
    published = comment.status == Comment.Status.APPROVED  # no review to wait for, or follow
    messages.success(request, COMMENT_PUBLISHED if published else COMMENT_RECEIVED)
    messages.info(
        request,
        format_html(
            '{} on its <a class="comment-status-link" href="{}">private status page</a> (keep '
            "this link to yourself).",
            "Edit or delete it" if published else "Follow the review of your comment",
            comment.status_url,
        ),
    )
    # POST/redirect/GET: a reload never posts twice. The reader lands back at the comments,
    # where the messages are shown.
    response = redirect(article.get_absolute_url() + "#comments")
    remember_written(request, response, comment.pk)
    response.set_cookie(
        SENT_COOKIE,
        "1",
        max_age=3600,
        path=article.get_absolute_url(),
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )
    return response


def _already_sent(request, comment):
    """The double post's answer; this browser wrote the first (its cookie names it), so the
    link to its status page, which a lost answer never showed, comes with it."""
    if comment.pk not in written_here(request):
        return DUPLICATE
    return format_html(
        '{} Follow its review on its <a class="comment-status-link" href="{}">private status '
        "page</a> (keep this link to yourself).",
        DUPLICATE,
        comment.status_url,
    )


@never_cache
@read_only
def form_token_view(request, article_id):
    """What a shared page's comment form lacks, for this reader: the CSRF token (its cookie is
    set with this answer), the signed start time and, for a signed-in reader, the name and
    address their comments go out under. Asked for by comments.js when a reader starts writing;
    tiny, and never cached."""
    article = get_object_or_404(Article.objects.published().only("pk"), pk=article_id)
    return JsonResponse(
        {
            "csrfmiddlewaretoken": get_token(request),
            "started": form_token(article.pk),
            **account_identity(signed_in_user(request)),
        }
    )


def closed_while_writing(request, article):
    """Comments closed (by the article, the policy or its age) after the reader's copy of the
    page was drawn: nothing is sent, and their text is shown back to keep."""
    body = request.POST.get("body", "").strip()
    return article_page(request, article, form=None, status=403, unsent_text=body)


def article_gone(request):
    """The article was taken down (or never was) while the reader wrote: nothing is sent, and
    their text is shown back to keep, rather than a bare 404 or a token error."""
    text = request.POST.get("body", "").strip()
    said = "It was taken down while you were writing, so your comment was not sent."
    context = {
        "heading": "This article is no longer on the site",
        "paragraphs": [f"{said} Here is your text, to keep a copy." if text else said],
        "unsent_text": text,
    }
    return personal_page(render(request, "comments/notice.html", context, status=404))


@read_only
def comment_status(request, token):
    comment = comment_from_token(token)
    if comment is None:
        return comment_gone(request)
    stands = standing(comment, **parent_said(comment))
    comment.rejection_reason = reason_told(comment)  # as told, never saved
    context = {
        "comment": comment,
        "standing": stands,
        "public_url": public_path(comment) if stands is Standing.PUBLISHED else None,
        # In the words it was picked in (comments.picks): an edit since took it off.
        "is_pick": stands is Standing.PUBLISHED and comment.picked_revision == comment.revision,
        **commenter_context(comment),
    }
    return keep_address_to_itself(personal_page(render(request, "comments/status.html", context)))
