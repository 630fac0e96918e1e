"""What `/health/` and `/metrics` report: whether the database, the broker and the private storage answer, and
how long the oldest document job and outgoing message have been waiting.

Each check takes a second or two at most and never raises: it returns a Check saying what failed in a word (the
exception's class; the details go to the log, not to an unauthenticated page)."""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.files.storage import storages
from django.db import connection
from django.utils import timezone
from kombu import Connection
from kombu.exceptions import ChannelError

log = logging.getLogger(__name__)
BROKER_TIMEOUT = 2.0
# The queues the workers consume (settings.CELERY_TASK_QUEUES): documents, and mail with periodic work.
QUEUES = ("documents", "default")


@dataclass
class Check:
    ok: bool
    milliseconds: float
    error: str = ""

    def as_json(self) -> dict:
        return {"ok": self.ok, "ms": round(self.milliseconds, 1)} | ({"error": self.error} if self.error else {})


def _timed(name: str, probe: Callable[[], object]) -> Check:
    started = time.monotonic()
    try:
        probe()
    except Exception as error:  # anything at all: the point is to report it, not to crash the check
        log.warning("health check %s failed: %s: %s", name, type(error).__name__, error)
        return Check(False, (time.monotonic() - started) * 1000, type(error).__name__)
    return Check(True, (time.monotonic() - started) * 1000)


def check_database() -> Check:
    def probe() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    return _timed("database", probe)


def _broker_connection() -> Connection:
    from mobility.celery import app

    return app.connection_for_write()


def check_broker() -> Check:
    def probe() -> None:
        with _broker_connection() as broker:
            broker.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)

    return _timed("broker", probe)


def check_storage() -> Check:
    # An object that is never there: the answer (no) proves the store is reachable with our keys.
    return _timed("storage", lambda: storages["private"].exists("health/probe"))


def _age(moment: datetime | None) -> float | None:
    return round((timezone.now() - moment).total_seconds(), 1) if moment else None


def waiting() -> dict:
    """The oldest queued document job and outgoing message: their count and age in seconds (None: none)."""
    from documents.models import DocumentJob
    from outbox.models import OutgoingMessage

    result = {}
    for name, queryset in (
        ("document_jobs", DocumentJob.objects.filter(status=DocumentJob.Status.QUEUED)),
        ("outgoing_messages", OutgoingMessage.objects.filter(status=OutgoingMessage.Status.QUEUED)),
    ):
        oldest = queryset.order_by("created_at").values_list("created_at", flat=True).first()
        result[name] = {"queued": queryset.count(), "oldest_seconds": _age(oldest)}
    return result


def broker_queue_lengths() -> dict[str, int]:
    """Messages waiting in each worker queue of the broker; empty if the broker does not say."""
    lengths = {}
    try:
        with _broker_connection() as broker:
            broker.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)
            channel = broker.default_channel
            for queue in QUEUES:
                try:
                    lengths[queue] = channel.queue_declare(queue=queue, passive=True).message_count
                except ChannelError:  # Redis drops an empty list: a queue not there holds nothing
                    lengths[queue] = 0
    except Exception as error:  # a transport without passive declares, or a broker that is down
        log.info("broker queue lengths unavailable: %s: %s", type(error).__name__, error)
    return lengths


def status() -> tuple[bool, dict]:
    checks = {"database": check_database(), "broker": check_broker(), "storage": check_storage()}
    healthy = all(check.ok for check in checks.values())
    report: dict = {"status": "ok" if healthy else "down", "checks": {k: v.as_json() for k, v in checks.items()}}
    if checks["database"].ok:
        try:
            report["queues"] = waiting()
        except Exception as error:  # tables missing before `migrate`, or a query that times out
            log.warning("health: queue ages failed: %s: %s", type(error).__name__, error)
            report["queues"] = None
    return healthy, report
