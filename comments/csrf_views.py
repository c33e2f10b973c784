"""What a post refused by Django's CSRF check is answered with (settings.CSRF_FAILURE_VIEW).

Shared pages carry no CSRF token: a comment (or report) sent from one without JavaScript comes
back as the reader's own page, their text kept, with a token and a start time, to send once more
(README, "Commenting from a shared page"). A press from a browser that keeps no cookies of ours
is told so; a request another site made is refused.
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.views.csrf import csrf_failure as django_csrf_failure

from articles.models import Article
from comments.closing import comments_open
from comments.forms import CommentForm
from comments.links import keep_address_to_itself
from comments.report_views import report_again
from comments.templatetags.comment_tags import reply_target
from comments.tokens import cookie_not_kept
from comments.views import article_gone, article_page, closed_while_writing
from newsportal.caching import personal_page, signed_in_user

SEND_AGAIN = "To protect your comment, please press “Send comment” once more: your text is kept."
COOKIE_BLOCKED = (
    "Your comment was not sent: your browser did not send back the cookie that protects this "
    "form (we set it for nothing else; your browser may block cookies for this site). Allow "
    "cookies for this site, then press “Send comment”: your text is kept."
)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW. A comment sent from a shared page without JavaScript carries no token:
    the reader gets the form back with their text, a token and a start time, and sends it once
    more; a form with errors comes back with them said, to put right and send. A request another
    site made (its Origin or Sec-Fetch-Site says so) is refused."""
    if _from_another_site(request):
        # Said as it is: "your form was open for a long time" misleads whoever was sent here.
        context = {"from_another_site": True}
        return render(request, "403_csrf.html", context, status=403)
    match = request.resolver_match
    reporting = match is not None and match.view_name == "comments:report"
    if reporting:
        again = report_again(request, match.kwargs["comment_id"])
        if again is not None:
            return again
    if match is None or match.view_name != "comments:post":
        if match is not None and match.namespace == "comments" and cookie_not_kept(request):
            return _cookie_not_kept(request)
        return django_csrf_failure(request, reason)
    article = (
        Article.objects.published()
        .select_related("section")
        .filter(pk=match.kwargs.get("article_id"))
        .first()
    )
    if article is None:
        return article_gone(request)
    if not comments_open(article):
        return closed_while_writing(request, article)
    reply_to = reply_target(request.POST, article)
    user = signed_in_user(request)
    sent = _form_as_sent(request, article, user=user, reply_to=reply_to)
    if not sent.is_valid():
        # Said now, with the token and start time in place: put right, one press sends it.
        if cookie_not_kept(request):
            messages.warning(request, COOKIE_BLOCKED)
        return article_page(request, article, form=sent, reply_to=reply_to)
    fields = ("name", "email", "body", "notify", "notify_reply", "parent")
    initial = {name: request.POST.get(name, "") for name in fields}
    initial["notify"] = bool(initial["notify"])
    initial["notify_reply"] = bool(initial["notify_reply"])
    if reply_to is None:
        initial["parent"] = ""  # the comment answered left the page: this goes as a new one
    # The start time the first press carried (asked for by comments.js, or on a page drawn for
    # this reader) counts from then: they have been writing since. Anyone may ask for one, so
    # keeping it skips no wait; a press without one (a shared page's form, without JavaScript)
    # proves no time and gets a new one (comment_tags._start_time checks and renews it).
    initial["started"] = request.POST.get("started", "")
    # What they left empty, a signed-in reader's account fills in (they see it before sending).
    typed = {name: value for name, value in initial.items() if value != ""}
    form = CommentForm(article=article, initial=typed, user=user)
    form.parent_lost = bool(request.POST.get("parent")) and reply_to is None
    messages.warning(request, COOKIE_BLOCKED if cookie_not_kept(request) else SEND_AGAIN)
    return article_page(request, article, form=form, reply_to=reply_to)


def _form_as_sent(request, article, *, user, reply_to):
    """The comment form as the first press sent it, checked as the post checks it, so what is
    missing or wrong is said at once, not after a press that only fetched a token. Not its start
    time: a shared page's form has none, and the page sent back brings one ("That was quick!"
    or "open for a long time" would be about a time the reader never had). Checking it stores
    nothing and mails nobody; the comment's own post (comments.views) does that."""
    data = request.POST.copy()
    data.pop("website", None)  # the honeypot is drawn back empty, as the form sent back is
    if reply_to is None:
        data["parent"] = ""  # the comment answered left the page: this goes as a new one
    form = CommentForm(data, article=article, user=user)
    form.checks_start_time = False
    form.parent_lost = bool(request.POST.get("parent")) and reply_to is None
    # What they left empty, a signed-in reader's account fills in (they see it before sending).
    for field, value in form.account.items():
        if not data.get(field, "").strip():
            data[field] = value
    return form


# What a commenter's button did not do, said first on the page that says why (_cookie_not_kept).
NOT_DONE = {
    "comments:edit": "Your comment was not changed.",
    "comments:delete": "Your comment was not deleted.",
    "comments:follow": "No mail about replies was asked for.",
    "comments:ask-again": "Nothing was mailed.",
    "comments:status-privacy": "No link was mailed.",
    "comments:privacy": "No link was mailed.",
}


def _cookie_not_kept(request):
    """A commenter's button (edit, delete, mail wishes, privacy) pressed in a browser that keeps
    no cookies of ours: "reload the page and send it again" would only go round again. It says
    what did not happen, and leads back to the page the button was on (a 403 at the button's
    address left only the front page and Back); what an edit said comes back to keep."""
    match = request.resolver_match
    token = match.kwargs.get("token", "")
    back = None
    if match.url_name == "privacy":
        back = (reverse("comments:privacy"), "Back to the privacy page")
    elif match.url_name in ("edit", "delete", "follow", "ask-again", "status-privacy"):
        back = (reverse("comments:status", args=[token]), "Back to your comment")
    not_done = NOT_DONE.get(match.view_name, "Nothing was changed.")
    context = {
        "heading": "Not sent: your browser keeps no cookies from us",
        "paragraphs": [
            f"{not_done} Your browser did not send back the cookie that protects this form (we "
            "set it for nothing else; your browser may block cookies for this site). Allow "
            "cookies for this site, then go back to the page and press the button again."
        ],
        "unsent_text": request.POST.get("body", "").strip(),
        "way_on": back,
    }
    page = personal_page(render(request, "comments/notice.html", context, status=403))
    return keep_address_to_itself(page)


def _from_another_site(request) -> bool:
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is None:
        return False  # an old browser: nothing says so, and the reader still presses Send
    own = f"{request.scheme}://{request.get_host()}"
    return origin != own and origin not in settings.CSRF_TRUSTED_ORIGINS
