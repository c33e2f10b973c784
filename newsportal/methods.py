"""Which HTTP methods a view takes, answered before the CSRF check: a method a view never takes
gets 405 with the Allow header, not a 403 that calls it a forgery."""

from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe


def read_only(view):
    """GET and HEAD; anything else 405. No CSRF check: a view that refuses every unsafe method
    changes nothing another site could forge."""
    return csrf_exempt(require_safe(view))


def get_or_post(view):
    """GET, HEAD and a POST that passes the CSRF check; anything else 405."""
    return csrf_exempt(require_http_methods(["GET", "HEAD", "POST"])(csrf_protect(view)))
