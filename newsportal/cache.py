"""Django's Redis cache backend, keeping one client per connection pool.

Django builds a new redis.Redis object for every cache call, which costs more Python time than
the round trip to Redis itself on a cache-hit page. A redis.Redis object is a thin, thread-safe
wrapper around its connection pool, so one per pool is enough; everything else is Django's.
"""

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
