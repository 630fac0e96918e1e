"""Printed working documents of a placement: the learning agreement, the weekly attendance sheet for signatures
on paper, and a learner's full attendance record.

Unlike certificates these are not issued nor kept: each is rendered from the database as it is now, in the
project's language (settings.LANGUAGE_CODE), and every function returns ``(pdf_bytes, filename)``.
"""

from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import pgettext_lazy

from assessments.models import Outcome, ScaleLevel, Unit
from attendance.models import AttendanceRecord, AttendanceStatus, week_start
from attendance.services import pattern_for, placement_days, placement_weeks, summarise, week_of
from documents.rendering import render_pdf
from participants.models import Participant
from placements.models import Assignment, ContactPerson
from signatures import seal
from signatures.services import agreement_state, week_states

# Short forms for the cells of the attendance sheet, by status code. A status a coordinator adds later gets the
# initials of its label (see _abbreviation).
STATUS_ABBREVIATIONS = {
    "present": pgettext_lazy("attendance status abbreviation", "P"),
    "late": pgettext_lazy("attendance status abbreviation", "L"),
    "left-early": pgettext_lazy("attendance status abbreviation", "LE"),
    "absent-excused": pgettext_lazy("attendance status abbreviation", "AE"),
    "absent-unexcused": pgettext_lazy("attendance status abbreviation", "AU"),
    "sick": pgettext_lazy("attendance status abbreviation", "S"),
    "closed": pgettext_lazy("attendance status abbreviation", "C"),
}

ASSIGNMENT_RELATIONS = (
    "participant__qualification",
    "placement__project__sending_organisation",
    "placement__receiving_partner",
    "placement__qualification",
    "placement__work_pattern",
    "host_company",
    "mentor__organisation",
)


def learning_agreement(assignment, with_contacts=True):
    """The learning agreement the learner, the sending school and the host sign before departure.

    A mentor's copy leaves out the learner's own email and phone: the host reaches the learner through the school."""
    assignment = Assignment.objects.select_related(*ASSIGNMENT_RELATIONS).get(pk=assignment.pk)
    participant, placement = assignment.participant, assignment.placement
    units = list(
        Unit.objects.filter(qualification=participant.qualification).prefetch_related(
            Prefetch("outcomes", queryset=Outcome.objects.order_by("position", "pk"))
        )
    )
    context = {
        "assignment": assignment,
        "participant": participant,
        "placement": placement,
        "project": placement.project,
        "sending": placement.project.sending_organisation,
        "coordinator": _coordinator(placement.project),
        "working_days": sum(1 for day in placement_days(placement) if day.expected),
        "units": units,
        "outcome_count": sum(len(unit.outcomes.all()) for unit in units),
        "scale": list(ScaleLevel.objects.all()),
        "signed_by_guardian": participant.consent_given_by == Participant.ConsentGiver.GUARDIAN,
        "with_contacts": with_contacts,
    }
    # What the signers agreed to is read from the same rows as printed (units only of a known qualification).
    signed = agreement_state(assignment, units if participant.qualification_id else [])
    context |= seal.printed(signed["trio"], "signatures")
    pdf = render_pdf("reports/documents/learning_agreement.html", context, language=translation.get_language())
    if context["evidence"]:
        pdf = seal.seal(pdf, reason=f"Learning agreement {participant.full_name} {placement.title}")
    return pdf, _learner_filename("learning-agreement", participant, placement)


def attendance_sheet(placement, monday):
    """One week of one placement on landscape A4: what is recorded, and empty boxes to fill in by hand."""
    monday = week_start(monday)
    days = week_of(placement, monday, pattern_for(placement))
    if not days:
        raise ValueError(f"The placement {placement} has no working day in the week of {monday:%Y-%m-%d}.")
    assignments = list(
        placement.assignments.active()
        .select_related("participant", "host_company", "mentor__organisation")
        .order_by("participant__name_key", "pk")
    )
    records = {
        (r.assignment_id, r.date): r
        for r in AttendanceRecord.objects.filter(
            assignment__in=assignments, date__range=(days[0].date, days[-1].date)
        ).select_related("status")
    }
    signed = week_states(assignments, placement, monday)
    rows = [
        {
            "assignment": assignment,
            "cells": [_sheet_cell(day, records.get((assignment.pk, day.date))) for day in days],
            "signatures": signed[assignment.pk],
        }
        for assignment in assignments
    ]
    mentors = list({a.mentor_id: a.mentor for a in assignments if a.mentor}.values())
    hosts = list({a.host_company_id: a.host_company for a in assignments if a.host_company}.values())
    weeks = _week_numbers(placement)
    context = {
        "placement": placement,
        "project": placement.project,
        "monday": monday,
        "days": days,
        "last_day": days[-1].date,
        "week_number": weeks.get(monday),
        "week_count": len(weeks),
        "rows": rows,
        "mentors": mentors,
        "hosts": hosts,
        "teachers": list(placement.accompanying_persons.all()),
        "legend": [(_abbreviation(s), s) for s in AttendanceStatus.objects.all()],
        "evidence": [state.event for states in signed.values() for state in states["pair"] if state.event],
        "sealed": seal.configured(),
        "demo_seal": seal.is_demo(),
    }
    pdf = render_pdf("reports/documents/attendance_sheet.html", context, language=translation.get_language())
    if context["evidence"]:
        pdf = seal.seal(pdf, reason=f"Weekly attendance sheet {placement.title} {monday:%Y-%m-%d}")
    return pdf, f"attendance-sheet-{slugify(placement.title)}-{monday:%Y-%m-%d}.pdf"


def attendance_record(assignment, today=None):
    """Every expected day of one learner's placement as recorded, with the figures the project counts."""
    today = today or timezone.localdate()
    assignment = Assignment.objects.select_related(*ASSIGNMENT_RELATIONS).get(pk=assignment.pk)
    participant, placement, project = assignment.participant, assignment.placement, assignment.placement.project
    records = list(AttendanceRecord.objects.filter(assignment=assignment).select_related("status", "recorded_by"))
    summary = summarise(placement, [assignment], records, project.required_attendance_rate, today=today)[0]
    by_date = {record.date: record for record in records}
    weeks = _week_numbers(placement)
    days = []
    for day in placement_days(placement):
        record = by_date.get(day.date)
        if day.hours <= 0 and record is None:
            continue  # not a working day in the pattern, and nobody recorded work that day
        days.append(
            {
                "date": day.date,
                "week": weeks[week_start(day.date)],
                "holiday": day.holiday,
                "record": record,
                "abbreviation": _abbreviation(record.status) if record else "",
                "hours": _hours(record.hours) if record else "",
                "state": _day_state(day, record, today),
            }
        )
    context = {
        "assignment": assignment,
        "participant": participant,
        "placement": placement,
        "project": project,
        "summary": summary,
        "hours_done": _hours(summary.hours_done),
        "hours_expected": _hours(summary.hours_expected),
        "required_rate": project.required_attendance_rate,
        "days": days,
        "today": today,
        "as_of": min(today, placement.end_date),
    }
    pdf = render_pdf("reports/documents/attendance_record.html", context, language=translation.get_language())
    return pdf, _learner_filename("attendance-record", participant, placement)


def _coordinator(project):
    # The same person the certificate names for the sending school: its first contact.
    return ContactPerson.objects.filter(organisation_id=project.sending_organisation_id).order_by("pk").first()


def _learner_filename(kind, participant, placement):
    # A learner may go on more than one placement: the month of the start tells the documents apart.
    return f"{kind}-{participant.last_name}-{participant.first_name}-{placement.start_date:%Y-%m}.pdf".replace(" ", "-")


def _abbreviation(status):
    known = STATUS_ABBREVIATIONS.get(status.code)
    if known:
        return str(known)
    return "".join(word[0] for word in str(status).replace(",", " ").replace("/", " ").split())[:3].upper()


def _hours(value):
    """6.50 as "6.5", 8.00 as "8": hours as people write them."""
    return f"{value.normalize():f}"


def _week_numbers(placement):
    """Monday of each week of the placement -> its number, 1 for the week the placement starts in."""
    return {monday: number for number, monday in enumerate(placement_weeks(placement), start=1)}


def _sheet_cell(day, record):
    return {
        "holiday": day.holiday,
        "record": record,
        "abbreviation": _abbreviation(record.status) if record else "",
        "hours": _hours(record.hours) if record and record.status.counts_hours else "",
    }


def _day_state(day, record, today):
    if record is not None:
        if record.status.not_a_working_day:
            return "closed"
        if record.status.counts_hours:
            return "present"
        return "excused" if record.status.is_excused else "unexcused"
    if day.holiday:
        return "holiday"
    if day.date > today:
        return "future"
    if day.date == today:
        return "today"
    return "missing"
