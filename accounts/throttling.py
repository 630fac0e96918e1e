"""Throttling. Sign-in: django-axes (the client's address, the blocks in force; its counts live in the
database). Everything else that must be limited (conference registrations, password-reset requests) counts in
the shared cache through RateLimit, so that several web processes keep one count."""

import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def client_ip(request):
    """The address a sign-in came from. Behind TRUSTED_PROXY_COUNT proxies, the entry the farthest trusted proxy
    appended to X-Forwarded-For; entries to its left were written by the client and could be anything."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def cool_off():
    return get_cool_off() or timedelta(0)


def active_blocks():
    """Name-and-address pairs that cannot sign in now, newest first, with the time each block ends."""
    since = timezone.now() - cool_off()
    blocks = list(
        AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since)
        .only("username", "ip_address", "attempt_time", "failures_since_start")
        .order_by("-attempt_time")
    )
    for block in blocks:
        block.ends_at = block.attempt_time + cool_off()
    return blocks


def get_block_for(pk):
    return AccessAttempt.objects.filter(pk=pk).first()


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` counted actions per subject (an address, an account) in `window` seconds from the first.

    The window's start is a key of its own, and each window counts under a key named after its start: counting
    never extends a window (the database cache's incr() would reset an expiry), and a subject that keeps trying
    is let through again once the window has passed. Subjects are hashed with the secret key, so the cache holds
    no email or IP address."""

    name: str
    limit: int
    window: int

    def _subject_key(self, subject: object) -> str:
        digest = hashlib.sha256(f"{settings.SECRET_KEY}:{self.name}:{subject}".encode()).hexdigest()[:32]
        return f"rate:{self.name}:{digest}"

    def exceeded(self, subject: object) -> bool:
        """Whether the subject has used up its window, without counting anything."""
        key = self._subject_key(subject)
        try:
            started = cache.get(f"{key}:start")
            return started is not None and cache.get(f"{key}:{started}", 0) >= self.limit
        except RedisError:  # a cache server that is down must not turn a form into an error page
            logger.warning("Rate limit %s: the cache cannot be reached; not limiting", self.name, exc_info=True)
            return False

    def count(self, subject: object) -> int:
        """Count one action; returns the number counted in the window, this one included."""
        key = self._subject_key(subject)
        try:
            started = cache.get_or_set(f"{key}:start", time.time_ns(), self.window)
            counter = f"{key}:{started}"
            if cache.add(counter, 1, self.window):
                return 1
            counted = cache.incr(counter)  # atomic on Redis
            # The database cache's incr() stores the value again with the default timeout (5 minutes); this
            # window's counter must outlive the window, which its start key alone ends.
            cache.touch(counter, self.window)
            return counted
        except ValueError:  # the counter expired between add() and incr()
            return 1 if cache.add(counter, 1, self.window) else 0
        except RedisError:
            logger.warning("Rate limit %s: the cache cannot be reached; not counting", self.name, exc_info=True)
            return 0

    def allow(self, subject: object) -> bool:
        """Count one attempt; True while it is within the limit."""
        return self.count(subject) <= self.limit


# Password-reset emails: a few an hour to one address and to one account, enough for someone who mistyped or
# lost the first one, too few to fill an inbox. The page answers the same when the limit holds an email back.
PASSWORD_RESETS_PER_ADDRESS = RateLimit("password-reset-address", limit=3, window=60 * 60)
PASSWORD_RESETS_PER_ACCOUNT = RateLimit("password-reset-account", limit=3, window=60 * 60)
