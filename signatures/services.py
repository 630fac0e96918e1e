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


def sign_week(*, assignment, monday, shown_hash, **evidence):
    """Append one signature of `assignment`'s week. `shown_hash` is the hash of the days the signer read: if
    they changed since, nothing is signed."""
    records = list(week_records([assignment.pk], monday))
    if not records:
        raise SignatureError(_("Nothing is recorded in this week yet: there is nothing to sign."))
    content = canonical(week_data(assignment, assignment.placement, monday, records))
    if shown_hash != digest(content):
        raise SignatureError(_("The days changed while the page was open. Read them again, then sign."))
    return append(
        document=DOCUMENT,
        subject=subject_of(assignment.pk, monday),
        assignment=assignment,
        week_start=monday,
        content=content,
        **evidence,
    )


def append(
    *,
    document,
    subject,
    assignment,
    content,
    role,
    collected_by,
    consent_text,
    method,
    week_start=None,
    signer=None,
    signer_name="",
    device_time="",
    ip_address=None,
    user_agent="",
    strokes=None,
    typed_name="",
):
    """Append one signature of any signed document (`document` its kind, `subject` the one signed: kind and ids)
    whose canonical `content` the caller has checked against what the signer read, at the end of the chain."""
    strokes = strokes or []
    for _attempt in range(3):
        try:
            with transaction.atomic():
                previous = SignatureEvent.objects.order_by("-pk").values_list("event_hash", flat=True).first() or ""
                event = SignatureEvent(
                    document=document,
                    subject=subject,
                    assignment=assignment,
                    week_start=week_start,
                    content=content,
                    content_hash=digest(content),
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


# The learning agreement: signed by the learner, the host company and the school


AGREEMENT = "learning-agreement"
LEARNER, HOST, SCHOOL = SignatureEvent.Role.LEARNER, SignatureEvent.Role.HOST, SignatureEvent.Role.SCHOOL
AGREEMENT_ROLES = (LEARNER, HOST, SCHOOL)
AGREEMENT_CONSENT = {
    LEARNER: gettext_noop(
        "I have read the learning agreement above. I agree to learn and work as it says, and I sign it with my "
        "personal code."
    ),
    HOST: gettext_noop(
        "On behalf of the host company, I agree to the learning agreement above: we give the learner the work, the "
        "mentoring and the assessment it describes."
    ),
    SCHOOL: gettext_noop(
        "On behalf of the sending school, I agree to the learning agreement above and will recognise the learning "
        "outcomes it describes."
    ),
}
# What a change to a signed agreement is shown as: the part of the content that differs.
AGREEMENT_PARTS = {
    "learner": gettext_noop("the learner"),
    "qualification": gettext_noop("the qualification"),
    "project": gettext_noop("the project"),
    "sending": gettext_noop("the sending school"),
    "placement": gettext_noop("the flow"),
    "start": gettext_noop("the first day"),
    "end": gettext_noop("the last day"),
    "city": gettext_noop("the city"),
    "country": gettext_noop("the country"),
    "receiving": gettext_noop("the receiving partner"),
    "host": gettext_noop("the host company"),
    "mentor": gettext_noop("the mentor"),
    "units": gettext_noop("the learning outcomes"),
}


def agreement_subject(assignment_id):
    return f"{AGREEMENT}:{assignment_id}"


def agreement_units(qualification_ids):
    """The units of the qualifications with their outcomes in order, by qualification: two queries."""
    from django.db.models import Prefetch

    from assessments.models import Outcome, Unit

    units = {}
    for unit in Unit.objects.filter(qualification_id__in=qualification_ids).prefetch_related(
        Prefetch("outcomes", queryset=Outcome.objects.order_by("position", "pk"))
    ):
        units.setdefault(unit.qualification_id, []).append(unit)
    return units


def agreement_data(assignment, units):
    """What the signers of `assignment`'s learning agreement agree to (the printed agreement's content):
    `assignment` with its participant (and qualification), placement (project and school, receiving partner),
    host company and mentor; `units` the qualification's units with their outcomes."""
    participant, placement = assignment.participant, assignment.placement
    return {
        "document": AGREEMENT,
        "assignment": assignment.pk,
        "learner": participant.full_name,
        "qualification": participant.qualification.name if participant.qualification_id else "",
        "project": placement.project.reference,
        "sending": placement.project.sending_organisation.name,
        "placement": placement.title,
        "start": f"{placement.start_date:%Y-%m-%d}",
        "end": f"{placement.end_date:%Y-%m-%d}",
        "city": placement.city,
        "country": str(placement.country),
        "receiving": placement.receiving_partner.name if placement.receiving_partner_id else "",
        "host": assignment.host_company.name if assignment.host_company_id else "",
        "mentor": str(assignment.mentor) if assignment.mentor_id else "",
        "units": [{"title": unit.title, "outcomes": [[o.kind, o.text] for o in unit.outcomes.all()]} for unit in units],
    }


AGREEMENT_RELATIONS = (
    "participant__qualification",
    "placement__project__sending_organisation",
    "placement__receiving_partner",
    "host_company",
    "mentor",
)


def agreement_states(assignments):
    """For each assignment: its agreement's content and hash now, and the learner's, the host's and the school's
    latest signature, each standing or void with the parts that changed. Four queries whatever the number."""
    from placements.models import Assignment

    ids = [a.pk for a in assignments]
    fetched = list(Assignment.objects.filter(pk__in=ids).select_related(*AGREEMENT_RELATIONS).order_by("pk"))
    units = agreement_units({a.participant.qualification_id for a in fetched})
    latest = _latest_agreement_signatures(ids)
    return {
        assignment.pk: _agreement_state(assignment, units.get(assignment.participant.qualification_id, []), latest)
        for assignment in fetched
    }


def agreement_state(assignment, units):
    """agreement_states' answer for one assignment already read with AGREEMENT_RELATIONS and its qualification's
    `units` (with their outcomes in order), as the printed agreement has them: one query."""
    return _agreement_state(assignment, units, _latest_agreement_signatures([assignment.pk]))


def _latest_agreement_signatures(assignment_ids):
    latest = {}
    subjects = [agreement_subject(pk) for pk in assignment_ids]
    for event in SignatureEvent.objects.filter(subject__in=subjects).order_by("pk"):
        latest[(event.assignment_id, event.role)] = event
    return latest


def _agreement_state(assignment, units, latest):
    data = agreement_data(assignment, units)
    content_hash = digest(canonical(data))
    roles = []
    for role in AGREEMENT_ROLES:
        event = latest.get((assignment.pk, role))
        state = SignatureState(role=role, event=event)
        if event is not None and event.content_hash != content_hash:
            state.void = True
            signed = json.loads(event.content)
            state.changes = [_(label) for key, label in AGREEMENT_PARTS.items() if signed.get(key) != data[key]]
        roles.append(state)
    return {
        "assignment": assignment,
        "data": data,
        "hash": content_hash,
        "learner": roles[0],
        "host": roles[1],
        "school": roles[2],
        "trio": roles,
    }


def sign_agreement(*, assignment, shown_hash, role, **evidence):
    """Append one signature of `assignment`'s learning agreement, if its content is still what the signer read."""
    state = agreement_states([assignment])[assignment.pk]
    if shown_hash != state["hash"]:
        raise SignatureError(_("The agreement changed while the page was open. Read it again, then sign."))
    return append(
        document=AGREEMENT,
        subject=agreement_subject(assignment.pk),
        assignment=assignment,
        content=canonical(state["data"]),
        role=role,
        **evidence,
    )


@dataclass
class DocumentCount:
    total: int = 0
    signed: int = 0  # every signer's signature standing
    partly: int = 0
    unsigned: int = 0
    void: int = 0


def document_counts(states):
    """Documents (agreement_states' values): signed by every signer, partly, not at all, or void after a change."""
    count = DocumentCount()
    for state in states:
        count.total += 1
        trio = state["trio"]
        if any(s.void for s in trio):
            count.void += 1
        elif all(s.signed for s in trio):
            count.signed += 1
        elif any(s.signed for s in trio):
            count.partly += 1
        else:
            count.unsigned += 1
    return count


# An allowance's receipt: signed by the learner who was handed the money, on the coordinator's tablet


RECEIPT = "receipt"
RECEIPT_CONSENT = gettext_noop(
    "I confirm that I was handed the amount above on the date above, and I sign this receipt with my personal code."
)
RECEIPT_PARTS = {
    "learner": gettext_noop("the learner"),
    "paid_on": gettext_noop("the date"),
    "amount": gettext_noop("the amount"),
    "currency": gettext_noop("the currency"),
    "method": gettext_noop("how it was paid"),
    "description": gettext_noop("what it was for"),
}


def receipt_subject(payment_id):
    return f"{RECEIPT}:{payment_id}"


def receipt_data(payment, assignment):
    """What the learner agrees to when signing the receipt of `payment` (an allowance handed to them alone)."""
    return {
        "document": RECEIPT,
        "payment": payment.pk,
        "assignment": assignment.pk,
        "learner": assignment.participant.full_name,
        "project": payment.project.reference,
        "placement": payment.placement.title if payment.placement_id else "",
        "paid_on": f"{payment.paid_on:%Y-%m-%d}",
        "amount": str(payment.amount),
        "currency": payment.currency,
        "method": payment.method,
        "description": payment.description,
    }


def receipt_states(payments):
    """For each allowance payment (with project, placement and its one learner prefetched as `learners`): its
    receipt's content and hash now and the learner's latest signature, standing or void. One query."""
    latest = {}
    subjects = [receipt_subject(p.pk) for p in payments]
    for event in SignatureEvent.objects.filter(subject__in=subjects).order_by("pk"):
        latest[event.subject] = event
    states = {}
    for payment in payments:
        assignment = payment.learners[0]
        data = receipt_data(payment, assignment)
        content_hash = digest(canonical(data))
        event = latest.get(receipt_subject(payment.pk))
        state = SignatureState(role=LEARNER, event=event)
        if event is not None and event.content_hash != content_hash:
            state.void = True
            signed = json.loads(event.content)
            state.changes = [_(label) for key, label in RECEIPT_PARTS.items() if signed.get(key) != data[key]]
        states[payment.pk] = {
            "payment": payment,
            "assignment": assignment,
            "data": data,
            "hash": content_hash,
            "learner": state,
            "trio": [state],
        }
    return states


def allowance_payments(payments):
    """`payments` (a queryset) narrowed to hand-overs to one learner alone, each with its learner as
    `learners`: two queries."""
    from django.db.models import Count, Prefetch

    from placements.models import Assignment

    return list(
        payments.annotate(learner_count=Count("assignments"))
        .filter(learner_count=1, placement__isnull=False)
        .select_related("project", "placement")
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("participant"), to_attr="learners")
        )
        .order_by("paid_on", "pk")
    )


def sign_receipt(*, payment, assignment, shown_hash, **evidence):
    state = receipt_states([payment])[payment.pk]
    if shown_hash != state["hash"]:
        raise SignatureError(_("The receipt changed while the page was open. Read it again, then sign."))
    return append(
        document=RECEIPT,
        subject=receipt_subject(payment.pk),
        assignment=assignment,
        content=canonical(state["data"]),
        role=LEARNER,
        **evidence,
    )


def receipt_counts(placement):
    """A flow's allowance receipts: signed here (standing), signed on paper (a copy uploaded), not signed, or
    void after a change. Three queries."""
    from grants.models import Payment

    payments = allowance_payments(Payment.objects.filter(placement=placement))
    count = DocumentCount()
    for state in receipt_states(payments).values():
        count.total += 1
        if state["learner"].signed:
            count.signed += 1
        elif state["learner"].void:
            count.void += 1
        elif state["payment"].receipt_id:
            count.partly += 1  # the paper route: the signed copy was uploaded
        else:
            count.unsigned += 1
    return count


def current_hash(event):
    """The hash of what `event` signed as it is now (a week's days, an agreement, a receipt); "" when it is gone."""
    if event.document == DOCUMENT:
        return week_states([event.assignment], event.assignment.placement, event.week_start)[event.assignment_id][
            "hash"
        ]
    if event.document == AGREEMENT:
        return agreement_states([event.assignment])[event.assignment_id]["hash"]
    if event.document == RECEIPT:
        from grants.models import Payment

        found = allowance_payments(Payment.objects.filter(pk=int(event.subject.split(":")[1])))
        return receipt_states(found)[found[0].pk]["hash"] if found else ""
    return ""


def receipt_signing(payment_ids):
    """common.sections.RECEIPT_SIGNATURES: the learners' signatures of these allowance receipts (three queries),
    with the functions that print them and seal the PDF, for grants.receipts, which imports nothing of this app."""
    from grants.models import Payment

    from . import seal

    states = receipt_states(allowance_payments(Payment.objects.filter(pk__in=payment_ids)))
    return {pk: state["learner"] for pk, state in states.items()}, seal.printed, seal.seal
