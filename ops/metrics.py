"""Prometheus metrics for `/metrics`, with prometheus-client.

Why prometheus-client rather than django-prometheus: we need a handful of series (requests, latencies, queue
lengths, jobs done and failed), two of them read from the database at scrape time; django-prometheus would add
a pair of middlewares and wrap the database and cache backends for series nobody here reads, and its own
`/metrics` view has no address check. With prometheus-client, one middleware and one collector do it.

Several gunicorn workers each count their own requests: with PROMETHEUS_MULTIPROC_DIR set (`make prod` and the
systemd unit set it) the client writes the counts to files there and the view adds them up over all workers.
Job and message counts come from the database, so any web process reports the same totals."""

import logging
import os
import time

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY

log = logging.getLogger(__name__)
REQUESTS = Counter(
    "mobility_http_requests", "HTTP requests answered, by view name, method and status.", ["view", "method", "status"]
)
LATENCY = Histogram(
    "mobility_http_request_duration_seconds",
    "Time to answer a request, by view name.",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


class MetricsMiddleware:
    """Counts and times every request; the label is the URL's name (a bounded set), never the path."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unmatched"
        method = request.method if request.method in KNOWN_METHODS else "other"
        REQUESTS.labels(view, method, response.status_code).inc()
        LATENCY.labels(view).observe(time.perf_counter() - started)
        return response


KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


class WorkCollector:
    """Document jobs and outgoing messages by status (done and failed among them), how long the oldest queued
    ones have waited, and the messages waiting in the broker's queues, read when Prometheus scrapes."""

    def collect(self):
        try:
            yield from self._collect()
        except Exception as error:  # a database that is down: the request series still go out
            log.warning("metrics: the work series failed: %s: %s", type(error).__name__, error)

    def _collect(self):
        from documents.models import DocumentJob
        from outbox.models import OutgoingMessage

        from .health import broker_queue_lengths, waiting

        jobs = GaugeMetricFamily("mobility_document_jobs", "Document jobs by status.", labels=["status"])
        counts = _by_status(DocumentJob)
        for value in DocumentJob.Status.values:
            jobs.add_metric([value], counts.get(value, 0))
        yield jobs
        messages = GaugeMetricFamily("mobility_outgoing_messages", "Outgoing messages by status.", labels=["status"])
        counts = _by_status(OutgoingMessage)
        for value in OutgoingMessage.Status.values:
            messages.add_metric([value], counts.get(value, 0))
        yield messages
        oldest = GaugeMetricFamily(
            "mobility_oldest_queued_seconds", "Age of the oldest queued item (0: none).", labels=["queue"]
        )
        for name, facts in waiting().items():
            oldest.add_metric([name], facts["oldest_seconds"] or 0)
        yield oldest
        lengths = GaugeMetricFamily(
            "mobility_broker_queue_messages", "Messages in the broker's queues.", labels=["queue"]
        )
        for queue, length in broker_queue_lengths().items():
            lengths.add_metric([queue], length)
        yield lengths


def _by_status(model) -> dict[str, int]:
    from django.db.models import Count

    return dict(model.objects.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n"))


def exposition() -> bytes:
    """The text Prometheus reads: this process's (or all workers') request series, then the work series."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
    else:
        processes = REGISTRY
    work = CollectorRegistry(auto_describe=False)
    work.register(WorkCollector())
    return generate_latest(processes) + generate_latest(work)
