"""Sign-in throttling with django-axes: the client's address, the lockout answer's wording, the blocks in force."""

from datetime import timedelta

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone


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
