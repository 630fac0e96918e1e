"""Log lines as JSON, one object a line, for production (journald, Loki, Elasticsearch read them as they are).
Development keeps Python's readable lines. Both get the request id through `ops.requestid.RequestIdFilter`."""

import json
import logging
from datetime import UTC, datetime


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", ""),
        }
        if getattr(record, "task_name", ""):
            entry["task"] = getattr(record, "task_name", "")
            entry["task_id"] = getattr(record, "task_id", "")
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
