"""The PURGE requests a purge sends a front cache (newsportal.caching.send_purge): its keys in
xkey-purge headers, as many requests as keep each header well under the 8 KB Varnish takes in
one (http_req_hdr_len, its name included). A moderator's delete or an erase across 600 stories
names over 8 KB of keys; in one header Varnish refused the request (400), nothing it named was
purged, and every retry was refused the same way."""

import http.client
import logging
import urllib.request
from collections.abc import Iterable, Iterator

from django.conf import settings

logger = logging.getLogger(__name__)

HEADER = "xkey-purge"
# A header's bytes, its name included: half Varnish's limit, room for a proxy in between that
# takes less.
HEADER_BYTES = 4096


def send(url: str, keys: Iterable[str]) -> bool:
    """Purge these keys at the front cache at `url`; False once a request fails (the caller
    sends them all again: a key purged twice costs nothing)."""
    return all(_send(url, header) for header in headers(keys))


def headers(keys: Iterable[str]) -> Iterator[str]:
    """The keys space-separated, at most HEADER_BYTES a header (keys are ASCII: no key is
    anywhere near that long)."""
    room = HEADER_BYTES - len(f"{HEADER}: ")
    header = ""
    for key in keys:
        if header and len(header) + 1 + len(key) > room:
            yield header
            header = ""
        header = f"{header} {key}" if header else key
    if header:
        yield header


def _send(url: str, header: str) -> bool:
    # The URL is the operator's own setting, http or https only (see settings.py).
    request = urllib.request.Request(url, method="PURGE", headers={HEADER: header})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=settings.FRONT_CACHE_PURGE_TIMEOUT):  # noqa: S310
            return True
    except (OSError, http.client.HTTPException) as exc:  # e.g. a port that is not HTTP
        logger.warning("front cache purge failed: %s: %s", url, exc)
        return False
