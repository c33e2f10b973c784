"""Whole-page cache for anonymous readers, shared by every web process through Django's cache.

Why not Django's cache_page: it varies on the Cookie header (every reader gets their own copy,
since each has a CSRF cookie) and cannot be purged per article. Here a cached page is keyed on
its path plus version tokens (one for lists, one per article) that a write bumps, so a change
is visible at once. Pages hold the comment form, so the few per-reader values in it (the CSRF
token, the form's signed start time) are swapped in on every hit: a cached page never carries
another reader's token.

Only plain anonymous GETs are served from here: a session cookie (a logged-in reader) or a
messages cookie (the success message after posting) bypasses the cache entirely, so one
reader's name, message or form errors can never reach another.
"""

import hashlib
import logging
import re
import secrets
from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_cache_control
from django.utils.http import quote_etag

logger = logging.getLogger(__name__)

LISTS = "lists"
# Bumped by editorial writes only (an article published, unpublished, retitled or deleted; a
# section, author or tag renamed), never by comments: an article page shows other articles
# (related links, the fallback list) and must not keep a headline that is gone.
CATALOGUE = "catalogue"
T = TypeVar("T")
_HIDDEN_FIELD = re.compile(r'(<input type="hidden" name="([\w-]+)" value=")([^"]*)(")')
_BYPASS_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")


def article_version_key(slug: str) -> str:
    return f"pagever:article:{slug}"


def lists_version(request, *args, **kwargs) -> list[str]:
    """For pages that show lists of articles (home, sections, authors, tags, feeds)."""
    return [LISTS]


def purge_article(slug: str) -> None:
    """The article page changed (text, links, approved comments)."""
    _bump([article_version_key(slug)])


def purge_lists(*, catalogue: bool = False) -> None:
    """Something shown in listings changed (an article, or a comment count); with catalogue,
    something other article pages show of it (its headline, or whether it is public)."""
    _bump([f"pagever:{LISTS}", *([f"pagever:{CATALOGUE}"] if catalogue else [])])


def _bump(keys: list[str]) -> None:
    try:
        cache.set_many({key: secrets.token_hex(6) for key in keys}, None)
    except Exception as exc:
        # A failed purge must not fail the write; pages then expire with their timeout.
        logger.warning("page cache purge failed: %s", type(exc).__name__)


def _current_versions(found: dict, keys: list[str]) -> tuple[str, ...]:
    """The version tokens for keys, creating any that are missing (first use, or evicted)."""
    for key in keys:
        if key not in found:
            token = secrets.token_hex(6)
            # add(), not set(): if another process got there first, its token wins.
            if not cache.add(key, token, None):
                token = cache.get(key) or token
            found[key] = token
    return tuple(str(found[key]) for key in keys)


def _hashed(prefix: str, text: str) -> str:
    return f"{prefix}:" + hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _lookup(key: str, depends_on: list[str]) -> tuple[object, tuple[str, ...]]:
    """The cached entry under key and the current versions it must match: one round trip."""
    names = [name if ":" in name else f"pagever:{name}" for name in depends_on]
    found = cache.get_many([key, *names])
    cached = found.pop(key, None)
    return cached, _current_versions(found, names)


def _is_cacheable(request) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not any(name in request.COOKIES for name in _BYPASS_COOKIES)
    )


def _split(content: str, refreshers) -> list:
    """The page as text pieces, with the per-reader field values cut out: [text, name, text...]."""
    pieces: list = []
    last = 0
    for match in _HIDDEN_FIELD.finditer(content):
        if match.group(2) in refreshers:
            pieces.append(content[last : match.end(1)])
            pieces.append((match.group(2), match.group(3)))
            last = match.start(4)
    pieces.append(content[last:])
    return pieces


def anonymous_page_cache(
    versions: Callable[..., list[str]],
    fresh_fields: dict[str, Callable[[object, str], str]] | None = None,
):
    """Cache a view's 200 responses for anonymous readers.

    versions(request, *args, **kwargs) names the version keys the page depends on (short names
    like "lists", or article_version_key(slug)). fresh_fields maps a hidden input's name to a
    function (request, cached value) -> value for this reader; the CSRF token is always fresh.
    """
    refreshers = {"csrfmiddlewaretoken": lambda request, _old: get_token(request)}
    refreshers.update(fresh_fields or {})

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _is_cacheable(request):
                return view(request, *args, **kwargs)
            path = request.get_full_path()
            key = _hashed("page", path)
            try:
                cached, current = _lookup(key, versions(request, *args, **kwargs))
            except Exception as exc:
                logger.warning("page cache unavailable: %s", type(exc).__name__)
                return view(request, *args, **kwargs)
            hit = cached is not None and cached["versions"] == current and cached["path"] == path
            if not hit:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()
                if response.status_code != 200 or response.cookies or response.streaming:
                    return response
                content = response.content.decode(response.charset)
                cached = {
                    "path": path,
                    "versions": current,
                    "pieces": _split(content, refreshers),
                    "content_type": response["Content-Type"],
                    "etag": hashlib.blake2b(
                        f"{content}|{current}".encode(), digest_size=12
                    ).hexdigest(),
                }
                try:
                    cache.set(key, cached, settings.PAGE_CACHE_SECONDS)
                except Exception as exc:
                    logger.warning("page cache unavailable: %s", type(exc).__name__)
            return _respond(request, cached, refreshers, hit=hit)

        return wrapped

    return decorator


def _respond(request, cached: dict, refreshers, *, hit: bool) -> HttpResponse:
    etag = quote_etag(cached["etag"])
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        body = "".join(
            piece if isinstance(piece, str) else refreshers[piece[0]](request, piece[1])
            for piece in cached["pieces"]
        )
        response = HttpResponse(body, content_type=cached["content_type"])
    response["ETag"] = etag
    # The page carries this reader's CSRF token: browsers may keep it, shared caches may not.
    patch_cache_control(response, private=True, no_cache=True)
    response["X-Page-Cache"] = "hit" if hit else "miss"
    return response


def cached_fragment(key: str, depends_on: list[str], render: Callable[[], T]) -> T:
    """A value shared by every reader, logged in or not (rendered HTML, or an article row),
    made again when a version it depends on moves. One cache round trip on a hit; a cache
    outage only costs the making."""
    fragment_key = _hashed("frag", key)
    try:
        cached, current = _lookup(fragment_key, depends_on)
    except Exception as exc:
        logger.warning("fragment cache unavailable: %s", type(exc).__name__)
        return render()
    if cached is not None and cached[0] == current and cached[1] == key:
        return cached[2]
    html = render()
    try:
        cache.set(fragment_key, (current, key, html), settings.PAGE_CACHE_SECONDS)
    except Exception as exc:
        logger.warning("fragment cache unavailable: %s", type(exc).__name__)
    return html


NAVIGATION_KEY = "nav:sections"


def navigation_sections(request=None) -> list[dict]:
    """The section menu on every page, from the shared cache (sections change rarely); looked
    up once per request however many times the request asks."""
    from articles.models import Section

    if request is not None and hasattr(request, "_navigation_sections"):
        return request._navigation_sections

    def load():
        return [
            {"name": section.name, "slug": section.slug, "url": section.get_absolute_url()}
            for section in Section.objects.for_navigation()
        ]

    try:
        sections = cache.get_or_set(NAVIGATION_KEY, load, settings.PAGE_CACHE_SECONDS)
    except Exception as exc:
        logger.warning("navigation cache unavailable: %s", type(exc).__name__)
        sections = load()
    if request is not None:
        request._navigation_sections = sections
    return sections


def purge_navigation() -> None:
    try:
        cache.delete(NAVIGATION_KEY)
    except Exception as exc:
        logger.warning("navigation cache purge failed: %s", type(exc).__name__)
