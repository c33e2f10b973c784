"""One round trip to the shared cache per request.

A page asks the cache for several things (the article row, its fragments, the versions they
depend on, the menu, the moderation policy, the reader's session). A view that knows the keys up
front fetches them all in one MGET; lookups made while it runs read from that batch. The batch
lives only as long as the view call (a thread-local, reset when the view returns), and every
write this process makes to a batched key goes through it too, so it is never older than the
start of the request.
"""

import logging
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from functools import wraps

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)
_batch = threading.local()


def get_many(keys: list[str]) -> dict:
    store = getattr(_batch, "store", None)
    if store is None:
        return cache.get_many(keys)
    found, asked = store
    missing = [key for key in keys if key not in asked]
    if missing:
        found.update(cache.get_many(missing))
        asked.update(missing)
    return {key: found[key] for key in keys if key in found}


def cached_value(key: str):
    """The value the current batch fetched under key; None when there is no batch, the batch
    did not ask for key, or the cache does not hold it (then look it up the usual way)."""
    store = getattr(_batch, "store", None)
    return store[0].get(key) if store is not None else None


def remember(values: dict) -> None:
    store = getattr(_batch, "store", None)
    if store is not None:
        store[0].update(values)
        store[1].update(values)


def forget(keys: Iterable[str]) -> None:
    store = getattr(_batch, "store", None)
    if store is not None:
        for key in keys:
            store[0].pop(key, None)
            store[1].discard(key)


@contextmanager
def batched_cache_reads(request, keys: Iterable[str]):
    """Fetch keys (plus, for a signed-in reader, the session) in one round trip for the
    lookups made inside the block. A cache outage only costs the batching."""
    if getattr(_batch, "store", None) is not None:  # already inside a batch: nothing to add
        yield
        return
    keys = list(keys)
    session = getattr(request, "session", None)
    session_key = None
    if (
        hasattr(session, "prefetched")
        and settings.SESSION_CACHE_ALIAS == "default"
        and session.session_key
        and not hasattr(session, "_session_cache")
    ):
        session_key = session.cache_key
        keys.append(session_key)
    try:
        found = cache.get_many(keys)
    except Exception as exc:
        logger.warning("cache unavailable: %s", type(exc).__name__)
        yield
        return
    if session_key is not None:
        session.prefetched = found.pop(session_key, None)
    _batch.store = (found, set(keys) - {session_key})
    try:
        yield
    finally:
        _batch.store = None


def batching(keys_for: Callable[..., Iterable[str]]):
    """Decorate a view: keys_for(request, *args, **kwargs) names what it will read from the
    cache (fragment_key(...), version_key(...), other keys), fetched in one round trip."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            with batched_cache_reads(request, keys_for(request, *args, **kwargs)):
                return view(request, *args, **kwargs)

        return wrapped

    return decorator
