"""Signed, unguessable values: a commenter's private status page, the form's start time and
the comments a browser wrote."""

import time

from django.conf import settings
from django.core import signing

STATUS_SALT = "comments.status"
FORM_SALT = "comments.form-started"
WRITTEN_SALT = "comments.written-here"
WRITTEN_COOKIE = "comments_written"
WRITTEN_KEPT = 20
WRITTEN_DAYS = 365
# The confirmation link, naming the address and the comment whose mail wish asked for it
# (comments.letters); an older link names the address alone (comments.links.confirm_url).
CONFIRM_ABOUT_SALT = "comments.confirm-address-about"


def status_token(comment) -> str:
    return signing.dumps(comment.pk, salt=STATUS_SALT)


def signed_value(token: str, salt: str, kind: type, max_days: int | None = None):
    """What a link or form signed with this salt holds, when it is of this kind; None when the
    token is forged, expired or of another shape."""
    try:
        value = signing.loads(
            token, salt=salt, max_age=max_days * 86400 if max_days is not None else None
        )
    except signing.BadSignature:
        return None
    return value if isinstance(value, kind) else None


def comment_id_from_token(token: str) -> int | None:
    return signed_value(token, STATUS_SALT, int)


def form_token(article_id: int, *, issued_at: float | None = None) -> str:
    """When the form was shown, signed so a bot cannot fake having taken its time."""
    issued = int(time.time() if issued_at is None else issued_at)
    return signing.dumps({"a": article_id, "t": issued}, salt=FORM_SALT)


def form_age(token: str, article_id: int) -> float | None:
    """Seconds since the form was shown, or None when the token is missing, forged or foreign."""
    value = signed_value(token, FORM_SALT, dict)
    if value is None or value.get("a") != article_id:
        return None
    return time.time() - value.get("t", 0)


def confirm_about_token(address_id: int, comment_id: int) -> str:
    return signing.dumps({"a": address_id, "c": comment_id}, salt=CONFIRM_ABOUT_SALT)


def confirm_about(token: str, max_days: int) -> tuple[int, int] | None:
    """The address and the comment a confirmation link names; None for a forged, expired or
    foreign one."""
    value = signed_value(token, CONFIRM_ABOUT_SALT, dict, max_days)
    address_id, comment_id = (value or {}).get("a"), (value or {}).get("c")
    if isinstance(address_id, int) and isinstance(comment_id, int):
        return address_id, comment_id
    return None


def written_here(request) -> list[int]:
    """The comments this browser wrote (its newest first), as its signed cookie says: the
    proof a returning commenter gives, which an address typed by anyone cannot."""
    ids = request.get_signed_cookie(
        WRITTEN_COOKIE, "", salt=WRITTEN_SALT, max_age=WRITTEN_DAYS * 86400
    )
    return [int(pk) for pk in ids.split(",") if pk.isdecimal()]


def remember_written(request, response, comment_id: int) -> None:
    # Sent only with the comment endpoints (path): shared pages stay cookie-free.
    ids = [comment_id, *written_here(request)][:WRITTEN_KEPT]
    response.set_signed_cookie(
        WRITTEN_COOKIE,
        ",".join(map(str, ids)),
        salt=WRITTEN_SALT,
        max_age=WRITTEN_DAYS * 86400,
        path="/comments/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def cookie_not_kept(request) -> bool:
    """Sent with the CSRF token a page of ours gave it, and still without the cookie that goes
    with it: this browser does not keep our cookies (or cleared them while the form was open),
    and "press Send once more" would send its reader round the same loop at every press."""
    return bool(request.POST.get("csrfmiddlewaretoken")) and (
        settings.CSRF_COOKIE_NAME not in request.COOKIES
    )
