"""CSRF tokens for pages served from the page cache.

Django's get_token() draws its random strings one character at a time (a system call each: 64
per new reader), which costs more than the rest of a page-cache hit. csrf_token() returns the
same values, drawn from the same source (os.urandom) in one call.
"""

import os

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

# Bytes below 248 (4 x 62) map evenly onto the 62 allowed characters and the rest are dropped,
# so every character is uniform, as with Django's own draw.
_CSRF_CHAR_OF_BYTE = bytes(ord(CSRF_ALLOWED_CHARS[b % len(CSRF_ALLOWED_CHARS)]) for b in range(256))
_CSRF_UNEVEN_BYTES = bytes(range(4 * len(CSRF_ALLOWED_CHARS), 256))
_CSRF_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}


def _random_csrf_string() -> str:
    drawn = b""
    while len(drawn) < CSRF_SECRET_LENGTH:
        drawn += os.urandom(CSRF_SECRET_LENGTH + 8).translate(
            _CSRF_CHAR_OF_BYTE, _CSRF_UNEVEN_BYTES
        )
    return drawn[:CSRF_SECRET_LENGTH].decode("ascii")


def csrf_token(request) -> str:
    """django.middleware.csrf.get_token(request): this reader's secret (a new one, with its
    cookie to set, for a reader without one) under a fresh mask."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret = request.META["CSRF_COOKIE"] = _random_csrf_string()
    # As get_token(): the cookie is (re)sent, so a new one is set and a kept one renewed.
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = _random_csrf_string()
    count = len(CSRF_ALLOWED_CHARS)
    cipher = "".join(
        CSRF_ALLOWED_CHARS[(_CSRF_INDEX[s] + _CSRF_INDEX[m]) % count]
        for s, m in zip(secret, mask, strict=True)
    )
    return mask + cipher
