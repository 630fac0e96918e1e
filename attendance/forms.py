from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from common.validators import parse_id

from .models import AttendanceStatus, WorkPattern
from .services import DayEntry


class StatusForm(forms.ModelForm):
    class Meta:
        model = AttendanceStatus
        fields = [
            "label",
            "is_excused",
            "counts_hours",
            "mentor_may_use",
            "needs_reason",
            "not_a_working_day",
            "position",
        ]


class WorkPatternForm(forms.ModelForm):
    class Meta:
        model = WorkPattern
        fields = WorkPattern.DAYS


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason for reopening"), max_length=300)


def parse_day(text):
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def _int(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        return 0


def entries_from_grid(data):
    """The week grid posts one group of fields per learner-day: s-<assignment>-<yyyymmdd> for the status,
    and h-, r-, v- with the same suffix for hours, reason and the version the page was showing."""
    entries = []
    for key, code in data.items():
        if not key.startswith("s-"):
            continue
        parts = key.split("-")
        if len(parts) != 3 or parse_id(parts[1]) is None or len(parts[2]) != 8:
            continue
        day = parse_day(f"{parts[2][:4]}-{parts[2][4:6]}-{parts[2][6:]}")
        if day is None:
            continue
        suffix = f"{parts[1]}-{parts[2]}"
        entries.append(
            DayEntry(
                assignment_id=parse_id(parts[1]),
                date=day,
                status_code=code,
                hours=data.get(f"h-{suffix}", ""),
                reason=data.get(f"r-{suffix}", ""),
                version=_int(data.get(f"v-{suffix}")),
            )
        )
    return entries


def entry_from_row(assignment_id, day, data):
    """One learner-day from the "Today" screen's row form."""
    return DayEntry(
        assignment_id=assignment_id,
        date=day,
        status_code=data.get("status", ""),
        hours=data.get("hours", ""),
        reason=data.get("reason", ""),
        version=_int(data.get("version")),
    )
