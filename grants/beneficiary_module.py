"""The Beneficiary Module export: one row per mobility activity (each learner's, each accompanying person's), so
that the coordinator imports the project's mobilities instead of typing them again.

Source followed: the European Commission's wiki for the Beneficiary Module (wikis.ec.europa.eu, NAITDOC):
"Export and import mobility activities using xls files", "Edit the mobility activity import file" and the
itinerary fields of the import ("Grant Agreement No.", "Mobility activity ID", "Receiving Organisation OID",
"Receiving country", "Receiving city", "Funded duration including travel days (in days)"); row 1 holds the field
names, row 2 says which are mandatory, dates are DD-MM-YYYY. The exact KA122-VET column list and its dictionary
codes are in the Module's Data dictionary, which we could not read: the other column names, the activity-type
labels and the YES/NO codes are our guess. Export the Module's own empty template and compare before importing.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from placements.models import Project

from .models import Category
from .selectors import Budget, country_code, project_budget

COLUMNS = [
    ("Grant Agreement No.", True),
    ("Mobility activity ID", True),
    ("Activity type", True),
    ("Participant first name", True),
    ("Participant last name", True),
    ("Participant with fewer opportunities", True),
    ("Accompanying person", True),
    ("Accompanied by", False),
    ("Sending Organisation OID", True),
    ("Sending city", True),
    ("Receiving Organisation OID", True),
    ("Receiving country", True),
    ("Receiving city", True),
    ("Start date", True),
    ("End date", True),
    ("Duration (days, without travel)", True),
    ("Travel days", True),
    ("Funded duration including travel days (in days)", True),
    ("Distance (km)", False),
    ("Distance band", True),
    ("Green travel", True),
    ("Travel (EUR)", False),
    ("Individual support (EUR)", False),
    ("Organisational support (EUR)", False),
    ("Inclusion support (EUR)", False),
    ("Linguistic support (EUR)", False),
    ("Exceptional costs (EUR)", False),
    ("Total (EUR)", False),
    ("Interrupted (force majeure)", False),
]
LEARNER_ACTIVITY = "VET learners short-term mobility"
STAFF_ACTIVITY = "Accompanying person (VET)"
YES, NO = "YES", "NO"


def _date(day: date | None) -> str:
    return day.strftime("%d-%m-%Y") if day else ""


def _amounts(by_category: dict[str, Decimal]) -> list[Decimal]:
    amounts = [by_category[c] for c in Category]
    return [*amounts, sum(amounts, Decimal("0.00"))]


def rows(budget: Budget) -> list[list[Any]]:
    project = budget.project
    agreement = (
        budget.grant.agreement_reference if budget.grant and budget.grant.agreement_reference else project.reference
    )
    sending = project.sending_organisation
    companions: dict[int, list[str]] = {}
    for row in budget.accompanying:
        companions.setdefault(row.stay.placement_id, []).append(row.stay.person.name)
    found = []
    for mobility in budget.mobilities:
        a = mobility.assignment
        placement = a.placement
        receiving = a.host_company or placement.receiving_partner
        figures = mobility.actual
        grant = mobility.grant
        end = grant.withdrawn_on if grant.withdrawn_on else (grant.actual_end or placement.end_date)
        interrupted = ""
        if grant.withdrawn_on:
            interrupted = YES if grant.force_majeure else NO
        found.append(
            [
                agreement,
                f"M-{a.pk}",
                LEARNER_ACTIVITY,
                a.participant.first_name,
                a.participant.last_name,
                YES if getattr(a, "fewer_opportunities", False) else NO,
                NO,
                ", ".join(companions.get(placement.pk, [])),
                sending.oid,
                sending.city,
                placement.receiving_partner.oid,
                country_code(placement.country),
                receiving.city if receiving else placement.city,
                _date(grant.actual_start or placement.start_date),
                _date(end),
                figures.activity_days,
                figures.travel_days,
                figures.days,
                figures.km,
                str(figures.band) if figures.band else "",
                YES if grant.travel_mode == "green" else NO,
                *_amounts(figures.by_category()),
                interrupted,
            ]
        )
    for row in budget.accompanying:
        stay, figures = row.stay, row.figures
        first, _space, last = stay.person.name.partition(" ")
        found.append(
            [
                agreement,
                f"A-{stay.pk}",
                STAFF_ACTIVITY,
                first,
                last,
                NO,
                YES,
                "",
                sending.oid,
                sending.city,
                stay.placement.receiving_partner.oid,
                country_code(stay.placement.country),
                stay.placement.city,
                _date(stay.start),
                _date(stay.end),
                figures.activity_days,
                figures.travel_days,
                figures.days,
                figures.km,
                str(figures.band) if figures.band else "",
                YES if stay.travel_mode == "green" else NO,
                *_amounts(figures.by_category()),
                "",
            ]
        )
    return found


def export_xlsx(project: Project) -> tuple[bytes, str]:
    """The workbook (bytes) and its file name."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Mobility activities"
    sheet.append([name for name, _mandatory in COLUMNS])
    sheet.append(["*" if mandatory else "" for _name, mandatory in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(project_budget(project)):
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                # Text stays text: a name such as "=HYPERLINK(...)" must not become a formula.
                cell.data_type = "s"
            elif isinstance(cell.value, float):
                cell.number_format = "0.00"
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    reference = "".join(c if c.isalnum() or c == "-" else "-" for c in project.reference)
    return buffer.getvalue(), f"beneficiary-module-{reference}.xlsx"
