"""The request id: one per web request (the proxy's X-Request-ID when it sent a sane one, a new one otherwise),
carried in every log line the request writes, sent back in the response's X-Request-ID, and handed to the
Celery tasks the request starts in their message headers, so that a worker's log lines name it too.

The id lives in a context variable: a thread or an asyncio task each see their own. The middleware sets it for
a request; `task_prerun` sets it for a task from the message's headers, `task_postrun` clears it.
"""

import contextvars
import logging
import re
import time
import uuid

from celery.signals import before_task_publish, task_postrun, task_prerun

HEADER = "X-Request-ID"
# What a proxy may hand us: nginx's $request_id (32 hex digits), a UUID, or similar. Anything else could
# smuggle text into the logs, so it is replaced by an id of our own.
VALID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
current_task: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar("current_task", default=None)
log = logging.getLogger("ops.tasks")


def new_id() -> str:
    return uuid.uuid4().hex


def from_header(value: str | None) -> str:
    return value if value and VALID.match(value) else new_id()


class RequestIdMiddleware:
    """First in MIDDLEWARE, so that every line logged while handling the request carries its id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_id.set(from_header(request.headers.get(HEADER)))
        request.request_id = request_id.get()
        try:
            response = self.get_response(request)
            response[HEADER] = request.request_id
            return response
        finally:
            request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (and `task_name`, `task_id` in a worker) to every record, for the formatters."""

    def filter(self, record: logging.LogRecord) -> bool:
        # django.request logs a 4xx/5xx after the middleware has returned, passing the request along.
        from_request = getattr(getattr(record, "request", None), "request_id", "")
        record.request_id = getattr(record, "request_id", "") or request_id.get() or from_request
        current = current_task.get()
        record.task_name, record.task_id = current if current else ("", "")
        return True


@before_task_publish.connect
def _send_request_id(headers=None, **kwargs):
    current = request_id.get()
    if current and headers is not None and "request_id" not in headers:
        headers["request_id"] = current


# Per running task: the context tokens to put back and the start time. An eager task runs inside the request's
# own thread, so the request's id must come back after it.
_running: dict[str, tuple[contextvars.Token, contextvars.Token, float]] = {}


@task_prerun.connect
def _receive_request_id(task_id=None, task=None, **kwargs):
    context = getattr(task, "request", None)
    received = getattr(context, "request_id", None) or (getattr(context, "headers", None) or {}).get("request_id")
    if not (isinstance(received, str) and VALID.match(received)):
        # Eager, it runs inside the request; started by the beat or by hand, it gets an id so its lines group.
        received = request_id.get() or new_id()
    _running[task_id or ""] = (
        request_id.set(received),
        current_task.set((getattr(task, "name", ""), task_id or "")),
        time.monotonic(),
    )
    log.debug("task started")


@task_postrun.connect
def _clear_request_id(task_id=None, state=None, **kwargs):
    tokens = _running.pop(task_id or "", None)
    if tokens is None:
        return
    log.info("task finished: %s in %.3f s", state or "", time.monotonic() - tokens[2])
    try:
        current_task.reset(tokens[1])
        request_id.reset(tokens[0])
    except ValueError:  # postrun in another context than prerun (an unusual pool): just clear them
        current_task.set(None)
        request_id.set("")
