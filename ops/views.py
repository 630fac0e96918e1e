"""Monitoring endpoints: the detailed health report and the Prometheus metrics. Both are open without signing
in (monitoring systems do not sign in); the metrics answer only to the addresses in METRICS_ALLOWED_IPS.
The trivial liveness view (`mobility/health.py`) stays apart: it is the bench's floor."""

import ipaddress

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.throttling import client_ip

from . import health, metrics


@never_cache
@require_GET
def health_status(request):
    """Database, broker, storage and the oldest queued work, as JSON; 503 when any of the three is down, so that
    a load balancer or an uptime monitor sees it without reading the body."""
    healthy, report = health.status()
    return JsonResponse(report, status=200 if healthy else 503)


def address_allowed(address: str | None) -> bool:
    """METRICS_ALLOWED_IPS holds addresses or networks (10.0.0.0/8)."""
    try:
        client = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    for allowed in settings.METRICS_ALLOWED_IPS:
        try:
            if client in ipaddress.ip_network(allowed, strict=False):
                return True
        except ValueError:
            continue
    return False


@never_cache
@require_GET
def prometheus_metrics(request):
    """404, not 403, elsewhere: the URL need not be known to exist. The address is read as the sign-in
    throttling reads it (TRUSTED_PROXY_COUNT), so a request through the proxy counts as its real client."""
    if not address_allowed(client_ip(request)):
        raise Http404
    return HttpResponse(metrics.exposition(), content_type="text/plain; version=0.0.4; charset=utf-8")
