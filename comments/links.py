"""Signed links in the mail commenters get: each one is the only key to what it opens, so it is
signed (SECRET_KEY), names row ids rather than addresses, and is written on SITE_URL."""

from typing import NamedTuple

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.urls import reverse

from comments.tokens import signed_value
from newsportal.paging import COMMENTS_PAGE_PARAM

CONFIRM_SALT = "comments.confirm-address"
CONFIRM_COMMENT_SALT = "comments.confirm-comment"
UNSUBSCRIBE_SALT = "comments.unsubscribe-replies"
STOP_SALT = "comments.stop-mail"
PRIVACY_SALT = "comments.privacy"
CONFIRM_DAYS = 14
PRIVACY_DAYS = 2
PRIVACY_ACTIONS = ("export", "erase")
# The button on the page a privacy link opens, which its mail names: opening the link alone
# does nothing (mail scanners open every link).
PRIVACY_BUTTONS = {"export": "Download my comments (JSON)", "erase": "Erase all my comments"}


def keep_address_to_itself(response):
    """A page whose address holds a secret token (a status page, a mailed link's page): the
    requests it makes (its stylesheets and scripts, a link followed from it) send our origin
    alone as their Referer. Same-origin ones sent the whole address, token and all, into the
    proxy's log (varnishncsa writes every request's Referer; only the page's own request is
    left out of it) or a CDN's; the token edits, deletes or erases comments. Not no-referrer:
    browsers then send `Origin: null` with the page's forms, which the CSRF check refuses."""
    response["Referrer-Policy"] = "strict-origin"
    return response


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def confirm_url(address) -> str:
    token = signing.dumps(address.pk, salt=CONFIRM_SALT)
    return absolute(reverse("comments:confirm", args=[token]))


def address_id_from_confirm(token: str) -> int | None:
    return signed_value(token, CONFIRM_SALT, int, CONFIRM_DAYS)


def confirm_comment_url(comment_id: int) -> str:
    token = signing.dumps(comment_id, salt=CONFIRM_COMMENT_SALT)
    return absolute(reverse("comments:confirm-comment", args=[token]))


def comment_id_from_confirm_comment(token: str) -> int | None:
    return signed_value(token, CONFIRM_COMMENT_SALT, int, CONFIRM_DAYS)


def unsubscribe_path(comment_id: int) -> str:
    token = signing.dumps(comment_id, salt=UNSUBSCRIBE_SALT)
    return reverse("comments:unsubscribe", args=[token])


def unsubscribe_url(comment_id: int) -> str:
    return absolute(unsubscribe_path(comment_id))


def comment_id_from_unsubscribe(token: str) -> int | None:
    return signed_value(token, UNSUBSCRIBE_SALT, int)


def stop_mail_url(address_id: int) -> str:
    token = signing.dumps(address_id, salt=STOP_SALT)
    return absolute(reverse("comments:stop-mail", args=[token]))


def address_id_from_stop(token: str) -> int | None:
    return signed_value(token, STOP_SALT, int)


PRIVACY_MARK_SALT = "comments.privacy-link-address"


def address_marks(email: str) -> list[str]:
    """A privacy link's address as a short keyed hash, under each key (the current one first,
    comments.models.desk.keyed_hashes), never in clear: the link names the address's row, which
    an erase deletes, and with the cache away a press of a spent link must still learn whether
    comments were written with the address since (comments.privacy.written_with_since)."""
    from comments.models.desk import keyed_hashes

    return [digest[:20] for digest in keyed_hashes(PRIVACY_MARK_SALT, email)]


def privacy_url(address_id: int, action: str, *, email: str | None = None) -> str:
    """email: the address's, which the mail has at hand; read from its row when not given."""
    if email is None:
        from comments.models import CommenterAddress

        email = CommenterAddress.objects.filter(pk=address_id).values_list("email", flat=True)
        email = email.first() or ""
    value = {"a": address_id, "x": action}
    if email:
        value["m"] = address_marks(email)[0]
    token = signing.dumps(value, salt=PRIVACY_SALT)
    return absolute(reverse("comments:privacy-action", args=[token]))


class PrivacyRequest(NamedTuple):
    address_id: int
    action: str
    # address_marks()[0] of the address, "" in links mailed before links carried it.
    mark: str


def privacy_request_from(token: str) -> PrivacyRequest | None:
    value = signed_value(token, PRIVACY_SALT, dict, PRIVACY_DAYS)
    if value is None or value.get("x") not in PRIVACY_ACTIONS:
        return None
    address_id, mark = value.get("a"), value.get("m", "")
    if not isinstance(address_id, int) or not isinstance(mark, str):
        return None
    return PrivacyRequest(address_id, value["x"], mark)


def page_of(comment) -> int:
    """The page of threads a published comment's thread is on."""
    from comments.models import Comment

    thread = comment.parent if comment.parent_id else comment
    # In the pages' own order: threads sent in the same instant go by their number.
    before = Q(created_at__lt=thread.created_at) | Q(created_at=thread.created_at, pk__lt=thread.pk)
    earlier = Comment.objects.top_level_for(comment.article).filter(before).count()
    return earlier // settings.COMMENTS_PER_PAGE + 1


def public_path(comment, anchor: str = "") -> str:
    """A published comment's place on its article: the right page of threads, and its anchor
    (or another on that page)."""
    page = page_of(comment)
    query = f"?{COMMENTS_PAGE_PARAM}={page}" if page > 1 else ""
    return f"{comment.article.get_absolute_url()}{query}#{anchor or f'comment-{comment.pk}'}"
