"""Signing a learner's attendance week: the canonical content, the signing code, the events and their chain,
and the state of each week's signatures (signed, or void because a signed day changed: what, and by whom)."""

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from attendance.models import AttendanceRecord, AttendanceStatus

from .models import SignatureEvent, SigningCode

DOCUMENT = "attendance-week"
LOCK_AFTER = 3
LOCK_FOR = timedelta(minutes=15)
CODE_DIGITS = 6
MAX_STROKES, MAX_POINTS = 100, 5000

CONSENT = {
    SignatureEvent.Role.MENTOR: gettext_noop(
        "As the learner's mentor at the host company, I confirm that the days above are recorded as they happened."
    ),
    SignatureEvent.Role.LEARNER: gettext_noop(
        "I confirm that the days above are recorded as they happened, and I sign them with my personal code."
    ),
}


class SignatureError(Exception):
    pass


def canonical(data):
    """The one serialisation that is hashed: keys sorted, no spaces, UTF-8 as is."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def subject_of(assignment_id, monday):
    return f"{DOCUMENT}:{assignment_id}:{monday:%Y-%m-%d}"


def week_data(assignment, placement, monday, records):
    """What a signer of `assignment`'s week agrees to: every recorded day of the week with its version."""
    sunday = monday + timedelta(days=6)
    days = [
        {
            "date": f"{r.date:%Y-%m-%d}",
            "status": r.status.code,
            "hours": str(r.hours),
            "reason": r.reason,
            "version": r.version,
        }
        for r in sorted(records, key=lambda r: r.date)
        if monday <= r.date <= sunday
    ]
    return {
        "document": DOCUMENT,
        "assignment": assignment.pk,
        "learner": assignment.participant.full_name,
        "placement": placement.title,
        "week": f"{monday:%Y-%m-%d}",
        "days": days,
    }


def week_records(assignment_ids, monday):
    return AttendanceRecord.objects.filter(
        assignment_id__in=assignment_ids, date__range=(monday, monday + timedelta(days=6))
    ).select_related("status", "recorded_by")


# The learner's signing code


def code_for(assignment, generation):
    mac = hmac.new(
        settings.SECRET_KEY.encode(), f"signing-code:{assignment.pk}:{generation}".encode(), hashlib.sha256
    ).hexdigest()
    return f"{int(mac, 16) % 10**CODE_DIGITS:0{CODE_DIGITS}d}"


def current_code(assignment):
    row = SigningCode.objects.filter(assignment=assignment).first()
    return code_for(assignment, row.generation if row else 0)


def reset_code(user, assignment):
    with transaction.atomic():
        row, _created = SigningCode.objects.select_for_update().get_or_create(assignment=assignment)
        row.generation += 1
        row.failed_attempts, row.locked_until = 0, None
        row.reset_by, row.reset_at = user, timezone.now()
        row.save()
    return row


def check_code(assignment, typed, now=None):
    """Raises SignatureError for a locked learner or a wrong code (counted: the third locks for LOCK_FOR).
    Runs in its own transaction so that a wrong code is counted even though the signing is refused."""
    now = now or timezone.now()
    with transaction.atomic():
        row, _created = SigningCode.objects.select_for_update().get_or_create(assignment=assignment)
        if row.locked_until and row.locked_until > now:
            raise SignatureError(
                _("Three wrong codes: signing is locked for this learner until %(time)s.")
                % {"time": date_format(timezone.localtime(row.locked_until), "H:i")}
            )
        if hmac.compare_digest((typed or "").strip(), code_for(assignment, row.generation)):
            row.failed_attempts, row.locked_until = 0, None
            row.save(update_fields=["failed_attempts", "locked_until"])
            return
        row.failed_attempts += 1
        if row.failed_attempts >= LOCK_AFTER:
            row.failed_attempts, row.locked_until = 0, now + LOCK_FOR
            row.save(update_fields=["failed_attempts", "locked_until"])
            message = _("Three wrong codes: signing is locked for this learner until %(time)s.") % {
                "time": date_format(timezone.localtime(row.locked_until), "H:i")
            }
        else:
            row.save(update_fields=["failed_attempts"])
            left = LOCK_AFTER - row.failed_attempts
            message = _("That is not the learner's code. Tries left before signing locks: %(left)d.") % {"left": left}
    raise SignatureError(message)


# The drawn signature


def clean_strokes(raw):
    """Stroke data from signature_pad (groups of points), kept to numbers; anything else is refused."""
    try:
        groups = json.loads(raw or "[]")
    except ValueError as error:
        raise SignatureError(_("The drawn signature could not be read. Clear it and draw again.")) from error
    if not isinstance(groups, list) or len(groups) > MAX_STROKES:
        raise SignatureError(_("The drawn signature could not be read. Clear it and draw again."))
    strokes, total = [], 0
    for group in groups:
        points = group.get("points") if isinstance(group, dict) else None
        if not isinstance(points, list):
            raise SignatureError(_("The drawn signature could not be read. Clear it and draw again."))
        clean = []
        for point in points:
            try:
                x, y = float(Decimal(str(point["x"]))), float(Decimal(str(point["y"])))
                time = int(point.get("time", 0))
            except (KeyError, TypeError, ValueError, InvalidOperation) as error:
                raise SignatureError(_("The drawn signature could not be read. Clear it and draw again.")) from error
            if not (0 <= x <= 5000 and 0 <= y <= 5000):
                raise SignatureError(_("The drawn signature could not be read. Clear it and draw again."))
            clean.append({"x": round(x, 1), "y": round(y, 1), "time": time})
        total += len(clean)
        if clean:
            strokes.append({"points": clean})
    if total > MAX_POINTS:
        raise SignatureError(_("The drawn signature could not be read. Clear it and draw again."))
    return strokes


def strokes_svg(strokes):
    """The drawn signature as SVG, made here from the numbers (never taken from the browser)."""
    if not strokes:
        return ""
    xs = [p["x"] for s in strokes for p in s["points"]]
    ys = [p["y"] for s in strokes for p in s["points"]]
    width, height = max(xs) + 4, max(ys) + 4
    paths = []
    for stroke in strokes:
        points = stroke["points"]
        if len(points) == 1:
            p = points[0]
            paths.append(f'<circle cx="{p["x"]}" cy="{p["y"]}" r="1.5" fill="#000"/>')
        else:
            d = " ".join(f"{'M' if i == 0 else 'L'}{p['x']} {p['y']}" for i, p in enumerate(points))
            paths.append(f'<path d="{escape(d)}" fill="none" stroke="#000" stroke-width="2" stroke-linecap="round"/>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
        + "".join(paths)
        + "</svg>"
    )


# Signing


def event_fields(event):
    """Everything the event's hash covers: the evidence and the previous event's hash."""
    return {
        "document": event.document,
        "subject": event.subject,
        "content_hash": event.content_hash,
        "role": event.role,
        "signer": event.signer_id,
        "signer_name": event.signer_name,
        "collected_by": event.collected_by_id,
        "method": event.method,
        "consent_hash": event.consent_hash,
        "signed_at": event.signed_at.isoformat(),
        "device_time": event.device_time,
        "ip_address": event.ip_address,
        "user_agent": event.user_agent,
        "strokes": digest(canonical(event.strokes)),
        "typed_name": event.typed_name,
        "previous_hash": event.previous_hash,
    }


def sign_week(
    *,
    assignment,
    monday,
    role,
    collected_by,
    shown_hash,
    consent_text,
    method,
    signer=None,
    signer_name="",
    device_time="",
    ip_address=None,
    user_agent="",
    strokes=None,
    typed_name="",
):
    """Append one signature of `assignment`'s week. `shown_hash` is the hash of the days the signer read: if
    they changed since, nothing is signed."""
    records = list(week_records([assignment.pk], monday))
    if not records:
        raise SignatureError(_("Nothing is recorded in this week yet: there is nothing to sign."))
    content = canonical(week_data(assignment, assignment.placement, monday, records))
    content_hash = digest(content)
    if shown_hash != content_hash:
        raise SignatureError(_("The days changed while the page was open. Read them again, then sign."))
    strokes = strokes or []
    for _attempt in range(3):
        try:
            with transaction.atomic():
                previous = SignatureEvent.objects.order_by("-pk").values_list("event_hash", flat=True).first() or ""
                event = SignatureEvent(
                    document=DOCUMENT,
                    subject=subject_of(assignment.pk, monday),
                    assignment=assignment,
                    week_start=monday,
                    content=content,
                    content_hash=content_hash,
                    role=role,
                    signer=signer,
                    signer_name=signer_name[:200],
                    collected_by=collected_by,
                    method=method,
                    consent_text=consent_text,
                    consent_hash=digest(consent_text),
                    signed_at=timezone.now(),
                    device_time=(device_time or "")[:40],
                    ip_address=ip_address,
                    user_agent=(user_agent or "")[:400],
                    strokes=strokes,
                    svg=strokes_svg(strokes),
                    typed_name=typed_name[:200],
                    previous_hash=previous,
                )
                event.event_hash = digest(canonical(event_fields(event)))
                event.save()
                return event
        except IntegrityError:  # another signature took the same place in the chain: take the next one
            continue
    raise SignatureError(_("The signature could not be saved. Try again."))


def chain_is_intact(events=None):
    """Every event's hash recomputed, and each one's link to the one before it."""
    previous = ""
    for event in events if events is not None else SignatureEvent.objects.order_by("pk").iterator():
        if event.previous_hash != previous or digest(canonical(event_fields(event))) != event.event_hash:
            return False
        previous = event.event_hash
    return True


# The state of a week's signatures


@dataclass
class Change:
    date: str
    before: str
    after: str
    by: str
    at: str


@dataclass
class SignatureState:
    role: str
    event: object = None
    void: bool = False
    changes: list = field(default_factory=list)

    @property
    def signed(self):
        return self.event is not None and not self.void


def _changes(signed_days, records, labels):
    """The days that differ from what was signed: before, after, by whom and when."""
    before = {d["date"]: d for d in signed_days}
    now = {f"{r.date:%Y-%m-%d}": r for r in records}
    changes = []
    for date in sorted(set(before) | set(now)):
        old, record = before.get(date), now.get(date)
        if record and old and old["version"] == record.version:
            continue
        changes.append(
            Change(
                date=date,
                before=labels.get(old["status"], old["status"]) if old else "—",
                after=str(record.status) if record else "—",
                by=str(record.recorded_by) if record else "",
                at=date_format(timezone.localtime(record.recorded_at), "DATETIME_FORMAT") if record else "",
            )
        )
    return changes


def week_states(assignments, placement, monday):
    """For each assignment: its week's content hash now, and the mentor's and the learner's latest signature,
    each either standing or void with the changes. Three queries whatever the number of learners."""
    ids = [a.pk for a in assignments]
    records = {}
    for record in week_records(ids, monday):
        records.setdefault(record.assignment_id, []).append(record)
    latest = _latest_events(ids, monday)
    labels = {code: str(label) for code, label in _status_labels()}
    states = {}
    for assignment in assignments:
        own = records.get(assignment.pk, [])
        content_hash = digest(canonical(week_data(assignment, placement, monday, own)))
        roles = _pair(assignment, content_hash, own, latest, lambda: labels)
        states[assignment.pk] = {
            "hash": content_hash,
            "records": own,
            "mentor": roles[0],
            "learner": roles[1],
            "pair": roles,
        }
    return states


def week_pairs(assignments, placement, monday):
    """week_states' "pair" of each assignment (the mentor's and the learner's signature, standing or void with
    the changes), for the week grid: the week's records are read, and hashed, only for the learners with a
    signature that week. One query on a week nobody has signed, at most three whatever the number of learners."""
    latest = _latest_events([a.pk for a in assignments], monday)
    signed = {assignment_id for assignment_id, _role in latest}
    records = {}
    if signed:
        for record in week_records(sorted(signed), monday):
            records.setdefault(record.assignment_id, []).append(record)
    labels = {}

    def status_labels():
        if not labels:
            labels.update((code, str(label)) for code, label in _status_labels())
        return labels

    pairs = {}
    for assignment in assignments:
        if assignment.pk not in signed:
            pairs[assignment.pk] = [
                SignatureState(role=role) for role in (SignatureEvent.Role.MENTOR, SignatureEvent.Role.LEARNER)
            ]
            continue
        own = records.get(assignment.pk, [])
        content_hash = digest(canonical(week_data(assignment, placement, monday, own)))
        pairs[assignment.pk] = _pair(assignment, content_hash, own, latest, status_labels)
    return pairs


def _latest_events(ids, monday):
    """{(assignment id, role): the latest signature event of the assignment's week}."""
    latest = {}
    subjects = [subject_of(pk, monday) for pk in ids]
    for event in SignatureEvent.objects.filter(subject__in=subjects).order_by("pk"):
        latest[(event.assignment_id, event.role)] = event
    return latest


def _pair(assignment, content_hash, own, latest, labels):
    """[mentor's SignatureState, learner's SignatureState]; `labels()` gives the statuses' labels by code."""
    roles = []
    for role in (SignatureEvent.Role.MENTOR, SignatureEvent.Role.LEARNER):
        event = latest.get((assignment.pk, role))
        state = SignatureState(role=role, event=event)
        if event is not None and event.content_hash != content_hash:
            state.void = True
            state.changes = _changes(json.loads(event.content)["days"], own, labels())
        roles.append(state)
    return roles


def _status_labels():
    return [(s.code, s) for s in AttendanceStatus.objects.all()]


def event_is_intact(event):
    """The event's own hash recomputed, and the event after it (if any) pointing back at it."""
    if digest(canonical(event_fields(event))) != event.event_hash:
        return False
    following = SignatureEvent.objects.filter(pk__gt=event.pk).order_by("pk").values_list("previous_hash", flat=True)
    after = following.first()
    return after is None or after == event.event_hash


@dataclass
class WeekCount:
    monday: object
    with_days: int = 0  # learners with a recorded day in the week: the weeks there are to sign
    mentor_signed: int = 0
    learner_signed: int = 0
    void: int = 0


def placement_counts(assignments, placement):
    """Per week of the placement: learner-weeks to sign, signed by the mentor, by the learner, and signatures
    made void by a later change. Three queries whatever the number of learners and weeks."""
    from attendance.services import placement_weeks

    ids = [a.pk for a in assignments]
    by_week = {}
    for record in AttendanceRecord.objects.filter(assignment_id__in=ids).select_related("status"):
        by_week.setdefault((record.assignment_id, week_start_of(record.date)), []).append(record)
    latest = {}
    for event in SignatureEvent.objects.filter(assignment_id__in=ids, document=DOCUMENT).order_by("pk"):
        latest[(event.assignment_id, event.week_start, event.role)] = event
    counts = []
    for monday in placement_weeks(placement):
        count = WeekCount(monday)
        for assignment in assignments:
            own = by_week.get((assignment.pk, monday), [])
            count.with_days += bool(own)
            events = [latest.get((assignment.pk, monday, role)) for role in SignatureEvent.Role.values]
            if not any(events):
                continue
            content_hash = digest(canonical(week_data(assignment, placement, monday, own)))
            for event in filter(None, events):
                if event.content_hash != content_hash:
                    count.void += 1
                elif SignatureEvent.Role.MENTOR == event.role:
                    count.mentor_signed += 1
                else:
                    count.learner_signed += 1
        counts.append(count)
    return counts


def week_start_of(day):
    return day - timedelta(days=day.weekday())
