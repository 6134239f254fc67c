"""Django's Redis cache, with each process keeping its Redis client objects.

Django's RedisCacheClient builds a new `redis.Redis` for every operation (over the
same connection pool); building one fills its table of reply handlers, which cost a
cached public page more than the Redis round trip itself (about 70 µs of 340). A
client is safe to share between threads, as its pool is."""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _Client(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients.setdefault(index, self._client(connection_pool=pool))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _Client
