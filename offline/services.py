"""Saves from a phone's outbox: a thin layer over attendance.services.save_days that answers a repeated key
with the first answer, and describes a refused save with both values, so that the mentor can choose."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from attendance.models import AttendanceRecord, AttendanceStatus
from attendance.services import DayEntry, save_days

from .models import SaveKey


def stored_answer(user, key):
    return SaveKey.objects.filter(user=user, key=key).values_list("answer", flat=True).first()


def answer_once(user, key, compute):
    """`compute()`'s answer, given and written once per (user, key): a second request with the key gets the
    stored answer, and when two arrive together the one that stores its key second is undone."""
    stored = stored_answer(user, key)
    if stored is not None:
        return stored
    with transaction.atomic():
        answer = compute()
        try:
            with transaction.atomic():
                SaveKey.objects.create(user=user, key=key, answer=answer)
            return answer
        except IntegrityError:
            transaction.set_rollback(True)
    return stored_answer(user, key)


def describe(record):
    """A learner-day as the outbox shows it; None when nothing is recorded."""
    if record is None:
        return None
    return {
        "status": record.status.code,
        "label": str(record.status),
        "hours": str(record.hours),
        "reason": record.reason,
        "version": record.version,
        "by": str(record.recorded_by),
        "at": date_format(timezone.localtime(record.recorded_at), "DATETIME_FORMAT"),
    }


def _current(entry):
    return (
        AttendanceRecord.objects.filter(assignment_id=entry.assignment_id, date=entry.date)
        .select_related("status", "recorded_by")
        .first()
    )


def save_day(user, key, entry: DayEntry):
    """Save one learner-day sent from the outbox, once per key. Raises NotAllowed (not stored) when the user
    may not record for the learner."""

    def compute():
        result = save_days(user, [entry])
        answer = {"key": key, "assignment": entry.assignment_id, "date": f"{entry.date:%Y-%m-%d}"}
        if result.ok:
            return answer | {"ok": True, "saved": describe(_current(entry))}
        error = result.errors[entry.key]
        current = _current(entry)
        if (current.version if current else 0) != entry.version:
            status = AttendanceStatus.objects.filter(code=entry.status_code).first()
            mine = {
                "status": entry.status_code,
                "label": str(status) if status else entry.status_code,
                "hours": entry.hours,
                "reason": entry.reason,
                "version": entry.version,
            }
            return answer | {"ok": False, "conflict": True, "error": error, "mine": mine, "theirs": describe(current)}
        return answer | {"ok": False, "conflict": False, "error": error}

    return answer_once(user, key, compute)
