"""A form posted under /comments/ to an address this release does not know: during a rolling
deploy a page drawn by one release of the site may post to another (a machine not yet
upgraded, or the release before, still finishing requests), and a button added since
("Mail it again" moved to status/<token>/ask-again/) met a bare "Page not found", the
reader's words gone. Here the reader is told what happened, given their words back and the way
back to the page to press again once the update is over."""

from functools import wraps
from urllib.parse import urlsplit

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.common import no_append_slash
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from articles.models import Article
from comments.closing import way_back_to
from comments.links import keep_address_to_itself
from newsportal.caching import personal_page

# The fields of our forms that carry words a reader wrote, and what the page calls them.
WRITTEN_FIELDS = {"body": "Your comment (not sent)", "text": "Your report (not sent)"}


def only_posts(view):
    """Any method but POST gets the site's 404, as any address we do not know, answered before
    the CSRF check could call a PUT or DELETE a forgery; a POST is checked as every form is, so
    what reaches the view came from a page of ours. And an unknown address without its slash
    stays unknown: APPEND_SLASH would send it here with one (a 301, a POST's words lost on the
    way; under DEBUG a RuntimeError)."""
    checked = csrf_protect(view)

    @no_append_slash
    @csrf_exempt
    @wraps(view)
    def guarded(request, path):
        if request.method != "POST":
            raise Http404
        return checked(request, path)

    return guarded


@only_posts
def unknown_address(request, path):
    field = next((name for name in WRITTEN_FIELDS if request.POST.get(name, "").strip()), None)
    context = {
        "heading": "Not sent: the site was being updated",
        "paragraphs": [
            "Nothing was changed. The page you pressed this on came from a newer or older "
            "version of the site than the one that answered, while we were updating it. Wait a "
            "minute, go back, reload the page, and press the button again."
        ],
        "unsent_text": request.POST[field].strip() if field else "",
        "unsent_label": WRITTEN_FIELDS.get(field),
        "way_on": _way_back(path) or _page_it_names(request),
    }
    page = personal_page(render(request, "comments/notice.html", context, status=404))
    return keep_address_to_itself(page)  # the address may hold a status page's token


# The pages whose address is a token after a prefix: a button added to one posts below it.
TOKEN_PAGES = {
    "status": ("comments:status", "Back to your comment"),
    "unsubscribe": ("comments:unsubscribe", "Back to the page you were on"),
    "stop-mail": ("comments:stop-mail", "Back to the page you were on"),
}


def _way_back(path):
    """The page the form was on, read from the address it posted to (our own routes alone): a
    token page's Referer is our origin alone (comments.links.keep_address_to_itself)."""
    first, _, rest = path.partition("/")
    key, _, below = rest.partition("/")
    if first in TOKEN_PAGES and key and below:
        name, words = TOKEN_PAGES[first]
        return reverse(name, args=[key]), words
    if first == "privacy":
        return reverse("comments:privacy"), "Back to the privacy page"
    if first == "post" and key.isdigit():
        article = Article.objects.published().filter(pk=int(key)).first()
        if article is not None:
            return way_back_to(article)
    return None


def _page_it_names(request):
    """Otherwise the Referer, when it names a page of ours (an article's sends its address; a
    token page's, our origin alone, which the front page link below already is)."""
    came_from = request.META.get("HTTP_REFERER", "")
    own = url_has_allowed_host_and_scheme(
        came_from, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if own and urlsplit(came_from).path not in ("", "/"):
        return came_from, "Back to the page you were on"
    return None
