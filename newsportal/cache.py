"""Django's Redis cache backend, keeping one client per connection pool; and the session engine.

Django builds a new redis.Redis object for every cache call, which costs more Python time than
the round trip to Redis itself on a cache-hit page. A redis.Redis object is a thin, thread-safe
wrapper around its connection pool, so one per pool is enough; everything else is Django's.
"""

from django.contrib.sessions.backends import cached_db
from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class PooledClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class PooledRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = PooledClientRedisCacheClient

    def validate_key(self, key):
        # Django's check only warns about keys memcached would refuse (long, or with spaces);
        # Redis takes any key, and walking every character of every key on every lookup is a
        # measurable share of a cache hit.
        pass


class SessionStore(cached_db.SessionStore):
    """Django's cached_db sessions (SESSION_ENGINE = "newsportal.cache"), which a view may hand
    the cached session data it fetched together with its other cache reads (one round trip
    instead of two; see articles.cachebatch.batched_cache_reads). Without that it is Django's."""

    def __init__(self, session_key=None):
        super().__init__(session_key)
        self.prefetched = None

    def load(self):
        data, self.prefetched = self.prefetched, None
        return data if isinstance(data, dict) else super().load()
