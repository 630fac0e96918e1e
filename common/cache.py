"""The shared cache (Redis, or the database without it; see settings.CACHES), for values worth keeping a few
minutes. A Redis server that is down makes a value computed again, never an error page."""

import logging
from collections.abc import Callable

from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def get_or_compute[T](key: str, compute: Callable[[], T], timeout: int) -> T:
    """The value cached under `key`, or compute() stored for `timeout` seconds."""
    try:
        value = cache.get(key)
    except RedisError:
        logger.warning("Cache unreachable; computing %s", key, exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout)
        except RedisError:
            logger.warning("Cache unreachable; %s not kept", key, exc_info=True)
    return value
