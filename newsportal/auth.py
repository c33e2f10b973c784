"""Signed-in readers' user rows from the shared cache.

Every signed-in request loads its user (Django's ModelBackend.get_user: one query, plus the
connection health check that comes with a request's first query), which costs about as much as
the rest of a shared article page. The row is kept in the shared cache instead, under the user's
id, and dropped whenever the row is saved or deleted (a password change, a deactivation, a new
login), in every process at once since the cache is shared. Django still checks the session
against the user's password hash on every request, so a password change still ends the other
sessions; a change that bypasses save() (a bulk queryset update) shows within
USER_CACHE_SECONDS.
"""

import logging

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction

from articles.cachebatch import cached_value

logger = logging.getLogger(__name__)


def user_cache_key(user_id) -> str:
    return f"auth:user:{user_id}"


class CachedUserBackend(ModelBackend):
    def get_user(self, user_id):
        key = user_cache_key(user_id)
        user = cached_value(key)
        if user is None:
            try:
                user = cache.get(key)
            except Exception as exc:  # a cache outage costs the query, nothing else
                logger.warning("user cache unavailable: %s", type(exc).__name__)
                return super().get_user(user_id)
        if user is None:
            user = super().get_user(user_id)
            if user is not None:
                try:
                    cache.set(key, user, settings.USER_CACHE_SECONDS)
                except Exception as exc:
                    logger.warning("user cache unavailable: %s", type(exc).__name__)
            return user
        return user if self.user_can_authenticate(user) else None


def forget_cached_user(sender, instance, **kwargs) -> None:
    """post_save / post_delete of the user model: the next request reads the row again."""
    key = user_cache_key(instance.pk)

    def forget():
        try:
            cache.delete(key)
        except Exception as exc:
            logger.warning("user cache purge failed: %s", type(exc).__name__)

    forget()  # at once, so nothing in this transaction reads the old row
    transaction.on_commit(forget)  # and after commit, in case another process re-read it
