"""Signed, unguessable links: a commenter's private status page and the form's start time."""

import time

from django.core import signing

STATUS_SALT = "comments.status"
FORM_SALT = "comments.form-started"


def status_token(comment) -> str:
    return signing.dumps(comment.pk, salt=STATUS_SALT)


def comment_id_from_token(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=STATUS_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def form_token(article_id: int, *, issued_at: float | None = None) -> str:
    """When the form was shown, signed so a bot cannot fake having taken its time."""
    issued = int(time.time() if issued_at is None else issued_at)
    return signing.dumps({"a": article_id, "t": issued}, salt=FORM_SALT)


def form_age(token: str, article_id: int) -> float | None:
    """Seconds since the form was shown, or None when the token is missing, forged or foreign."""
    try:
        value = signing.loads(token, salt=FORM_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or value.get("a") != article_id:
        return None
    return time.time() - value.get("t", 0)
