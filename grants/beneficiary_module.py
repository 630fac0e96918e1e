"""The Beneficiary Module's mobility file for a VET project (KA121/KA122): one row per mobility activity, a
learner's or an accompanying person's, so that the coordinator imports the project's mobilities instead of typing
them again.

The columns, their order, their marks (row 2) and their allowed values come from `reference/
beneficiary_module_vet.json`, which names the source of every field (see reference/README.md: the Module's own
template could not be read here, so the reference is built from the Commission's wiki, field by field).

What the file holds and what it leaves out, on purpose:
- no amount the Module computes itself (unit costs, the distance band): only real costs, each with its reason;
- no special-category data: the fewer-opportunities flag, never its categories, special needs or health;
- organisations by OID; a host company without one leaves its cell empty and the export page says so first;
- an anonymised learner, one withdrawn before leaving and one who came home early without force majeure are not
  written as mobilities: `build` lists them with the reason, and the page shows the list before the export.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from placements.models import Assignment, Project

from .models import Transport
from .selectors import AccompanyingRow, Budget, MobilityRow, country_code, project_budget

REFERENCE = Path(__file__).parent / "reference" / "beneficiary_module_vet.json"
YES, NO = "YES", "NO"
DATA_TYPE = "Mobility"
SHORT_TERM, LONG_TERM = "LM-SHORT-VET", "LM-LONG-VET"
ERASMUS_PRO_FROM_DAY = 90  # Programme Guide: ErasmusPro lasts 90-365 days of activity
TRANSPORT_CODE = {
    Transport.PLANE: "Plane",
    Transport.TRAIN: "Train",
    Transport.BUS: "Bus",
    Transport.CAR: "Car",
    Transport.CAR_SHARING: "Car-sharing",
    Transport.BOAT: "Boat",
}
GENDER_CODE = {"female": "Female", "male": "Male", "other": "Undefined"}


@cache
def reference() -> dict[str, Any]:
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


def fields() -> list[dict[str, Any]]:
    return reference()["fields"]


def columns() -> list[str]:
    return [spec["name"] for spec in fields()]


def mark(spec: dict[str, Any]) -> str:
    """Row 2 of the file: '*' for a mandatory field, then DICT or the format."""
    parts = ["*"] if spec["mandatory"] else []
    if spec["format"] in ("DICT", "YES/NO"):
        parts.append("DICT")
    elif spec["format"] == "DD-MM-YYYY":
        parts.append(spec["format"])
    return " ".join(parts)


def missing(row: dict[str, Any]) -> list[str]:
    """The fields of `row` the reference requires and the row leaves empty."""
    empty = []
    for spec in fields():
        value = row.get(spec["name"])
        required = spec["mandatory"]
        condition = spec.get("required_if")
        if condition:
            other = row.get(condition["field"])
            required = other == condition["equals"] if "equals" in condition else bool(other)
        if required and (value is None or value == ""):
            empty.append(spec["name"])
    return empty


@dataclass
class Export:
    """The rows to write, what was left out and why, and what the rows lack (before anyone exports)."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    who: list[str] = field(default_factory=list)  # the person of each row, for the page
    left_out: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    without_oid: list[Any] = field(default_factory=list)  # organisations named in the file without an OID
    no_rates: bool = False


def _date(day: date | None) -> str:
    return day.strftime("%d-%m-%Y") if day else ""


def _money(amount: Decimal) -> Decimal | str:
    return amount if amount else ""


def _agreement(budget: Budget) -> str:
    grant = budget.grant
    return grant.agreement_reference if grant and grant.agreement_reference else budget.project.reference


def _sending(project: Project) -> dict[str, Any]:
    sending = project.sending_organisation
    return {
        "Sending organisation OID": sending.oid,
        "Sending country": country_code(sending.country),
        "Sending city": sending.city,
    }


def _learner_row(budget: Budget, mobility: MobilityRow, shared: dict[str, Any]) -> dict[str, Any]:
    a = mobility.assignment
    person, placement, grant, figures = a.participant, a.placement, mobility.grant, mobility.actual
    host = a.host_company or placement.receiving_partner
    end = grant.withdrawn_on or grant.actual_end or placement.end_date
    costs = mobility.costs
    inclusion = sum((cost.amount for cost in costs), Decimal("0.00"))
    return {
        "Data type": DATA_TYPE,
        "Grant Agreement No.": shared["Grant Agreement No."],
        "Mobility activity ID": f"M-{a.pk}",
        "Activity type": LONG_TERM if figures.activity_days >= ERASMUS_PRO_FROM_DAY else SHORT_TERM,
        "Accompanying person": NO,
        "Force majeure": YES if grant.withdrawn_on and grant.force_majeure else NO,
        "Force majeure explanations": a.withdrawal_reason if grant.withdrawn_on and grant.force_majeure else "",
        "Participant first name": person.first_name,
        "Participant last name": person.last_name,
        "Participant date of birth": _date(person.date_of_birth),
        "Participant gender": GENDER_CODE.get(person.gender, ""),
        "Participant nationality": country_code(person.nationality) if person.nationality else "",
        "Participant email": person.email,
        "Participant with fewer opportunities": YES if getattr(a, "fewer_opportunities", False) else NO,
        **shared["sending"],
        "Receiving Organisation OID": host.oid,
        "Receiving country": country_code(host.country),
        "Receiving city": host.city,
        "Start date": _date(grant.actual_start or placement.start_date),
        "End date": _date(end),
        "Main means of transport": TRANSPORT_CODE.get(grant.main_transport, ""),
        "Funded travel days": figures.travel_days,
        "Funded duration including travel days (in days)": figures.days,
        "Exceptional costs for expensive travel": _money(grant.exceptional_travel_cost),
        "Exceptional costs justification": grant.note if grant.exceptional_travel_cost else "",
        "Inclusion support for participants": _money(inclusion),
        "Inclusion support justification": "; ".join(cost.reason for cost in costs),
    }


def _accompanying_row(budget: Budget, row: AccompanyingRow, shared: dict[str, Any]) -> dict[str, Any]:
    stay, figures = row.stay, row.figures
    first, _space, last = stay.person.name.partition(" ")
    receiving = stay.placement.receiving_partner
    return {
        "Data type": DATA_TYPE,
        "Grant Agreement No.": shared["Grant Agreement No."],
        "Mobility activity ID": f"A-{stay.pk}",
        "Activity type": SHORT_TERM,
        "Accompanying person": YES,
        "Force majeure": NO,
        "Force majeure explanations": "",
        "Participant first name": first,
        "Participant last name": last,
        "Participant date of birth": _date(stay.date_of_birth),
        "Participant gender": GENDER_CODE.get(stay.gender, ""),
        "Participant nationality": country_code(stay.nationality) if stay.nationality else "",
        "Participant email": stay.person.email,
        "Participant with fewer opportunities": NO,
        **shared["sending"],
        "Receiving Organisation OID": receiving.oid,
        "Receiving country": country_code(receiving.country),
        "Receiving city": receiving.city,
        "Start date": _date(stay.start),
        "End date": _date(stay.end),
        "Main means of transport": TRANSPORT_CODE.get(stay.main_transport, ""),
        "Funded travel days": figures.travel_days,
        "Funded duration including travel days (in days)": figures.days,
        "Exceptional costs for expensive travel": "",
        "Exceptional costs justification": "",
        "Inclusion support for participants": "",
        "Inclusion support justification": "",
    }


def _left_out(mobility: MobilityRow) -> str | None:
    """Why a learner's mobility is not written as one, or None."""
    a, grant = mobility.assignment, mobility.grant
    if a.participant.is_anonymised:
        return _("%(who)s: anonymised, so not written as a participant.") % {"who": a.participant}
    if a.status == Assignment.Status.WITHDRAWN and grant.withdrawn_on is None:
        return _("%(who)s: withdrawn before leaving, no mobility.") % {"who": a.participant}
    if grant.withdrawn_on and not grant.force_majeure:
        return _(
            "%(who)s: came home early without force majeure; not written as a completed mobility. Ask the National "
            "Agency and enter it in the Module by hand."
        ) % {"who": a.participant}
    return None


def build(budget: Budget) -> Export:
    found = Export(no_rates=budget.rates is None)
    named: dict[int, Any] = {}
    # The same for every row: worked out once, not once a row.
    shared = {"Grant Agreement No.": _agreement(budget), "sending": _sending(budget.project)}
    for mobility in budget.mobilities:
        reason = _left_out(mobility)
        if reason:
            found.left_out.append(reason)
            continue
        found.rows.append(_learner_row(budget, mobility, shared))
        found.who.append(str(mobility.assignment.participant))
        host = mobility.assignment.host_company or mobility.assignment.placement.receiving_partner
        named.setdefault(host.pk, host)
    for accompanying in budget.accompanying:
        found.rows.append(_accompanying_row(budget, accompanying, shared))
        found.who.append(accompanying.stay.person.name)
        receiving = accompanying.stay.placement
        named.setdefault(receiving.receiving_partner_id, receiving.receiving_partner)
    if found.rows:
        sending = budget.project.sending_organisation
        named.setdefault(sending.pk, sending)
    found.without_oid = sorted((o for o in named.values() if not o.oid), key=lambda o: o.name)
    for who, fields in zip(found.who, found.rows, strict=True):
        empty = missing(fields)
        if empty:
            found.gaps.append(_("%(who)s: %(fields)s missing.") % {"who": who, "fields": ", ".join(empty)})
    return found


def export_xlsx(project: Project) -> tuple[bytes, str]:
    """The workbook (bytes) and its file name: the columns' names (bold), their marks, a row per mobility; the
    first two rows frozen. Amounts are numbers with two decimals, everything else text (grants.sheet)."""
    from .sheet import workbook

    found = build(project_budget(project, rows_only=True))
    names = columns()
    rows: list[list[Any]] = [names, [mark(spec) for spec in fields()]]
    rows += [[row[name] for name in names] for row in found.rows]
    content = workbook("Mobility activities", rows, bold_rows=1, frozen_rows=2)
    reference_name = "".join(c if c.isalnum() or c == "-" else "-" for c in project.reference)
    return content, f"beneficiary-module-{reference_name}.xlsx"
