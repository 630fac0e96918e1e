"""Our figures against the Beneficiary Module's, per mobility: the coordinator types what the Module's screen shows
(the Module computes the grant its own way and cannot be corrected afterwards), and every field that differs is
named, so that a wrong band or date is found before the report is submitted."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.templatetags.mobility_tags import money
from placements.models import Project

from .calculator import Figures
from .models import AccompanyingPerson, Category, ModuleFigures
from .selectors import AccompanyingRow, Budget, MobilityRow, project_budget

# (field of ModuleFigures, label): the Module's screen, in its order.
FIELDS = [
    ("start", gettext_lazy("Start date")),
    ("end", gettext_lazy("End date")),
    ("duration", gettext_lazy("Funded days incl. travel")),
    ("travel_days", gettext_lazy("Travel days")),
    ("band", gettext_lazy("Distance band")),
    ("green_travel", gettext_lazy("Green travel")),
    *[(category.value, category.label) for category in Category],
]


@dataclass
class Cell:
    name: str
    label: str
    ours: Any
    theirs: Any
    differs: bool = False

    @property
    def typed(self) -> bool:
        return self.theirs is not None and self.theirs != ""

    def show(self, value: Any) -> str:
        if value is None or value == "":
            return "–"
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, date):
            return date_format(value, "SHORT_DATE_FORMAT")
        if isinstance(value, Decimal):
            return money(value, "")
        return str(value)

    @property
    def ours_text(self) -> str:
        return self.show(self.ours)

    @property
    def theirs_text(self) -> str:
        return self.show(self.theirs)


@dataclass
class Line:
    """One mobility: who, which flow, our values, the Module's and the cells that differ."""

    kind: str  # "learner" or "accompanying"
    pk: int
    name: str
    flow: str
    module: ModuleFigures | None
    cells: list[Cell] = field(default_factory=list)

    @property
    def typed(self) -> bool:
        return self.module is not None and any(cell.typed for cell in self.cells)

    @property
    def differences(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.differs]


def our_values(figures: Figures, start: date | None, end: date | None, green: bool) -> dict[str, Any]:
    """What our export says for a mobility, in the Module's fields."""
    amounts = figures.by_category()
    return {
        "start": start,
        "end": end,
        "duration": figures.days,
        "travel_days": figures.travel_days,
        "band": str(figures.band) if figures.band else "",
        "green_travel": green,
        **{category.value: amounts[category] for category in Category},
    }


def _learner_values(row: MobilityRow) -> dict[str, Any]:
    grant, placement = row.grant, row.assignment.placement
    end = grant.withdrawn_on or grant.actual_end or placement.end_date
    return our_values(row.actual, grant.actual_start or placement.start_date, end, grant.travel_mode == "green")


def _stay_values(row: AccompanyingRow) -> dict[str, Any]:
    return our_values(row.figures, row.stay.start, row.stay.end, row.stay.travel_mode == "green")


def compare(ours: dict[str, Any], module: ModuleFigures | None) -> list[Cell]:
    cells = []
    for name, label in FIELDS:
        theirs = getattr(module, name) if module is not None else None
        value = ours[name]
        if theirs is None or theirs == "":
            cells.append(Cell(name, str(label), value, None))
            continue
        if name == "band":
            # "2,000–2,999 km", "2000-2999 km" and "2000 - 2999" name the same band: compare the numbers only.
            differs = band_numbers(value) != band_numbers(theirs)
        else:
            differs = value != theirs
        cells.append(Cell(name, str(label), value, theirs, differs))
    return cells


def band_numbers(text: str | None) -> list[int]:
    return [int(number) for number in re.findall(r"\d+", (text or "").replace(",", "").replace(".", ""))]


def reconcile(budget: Budget) -> list[Line]:
    """A line per mobility of the budget, with the Module's figures the coordinator typed (two queries)."""
    learners = {m.assignment_id: m for m in ModuleFigures.objects.filter(assignment__placement__project=budget.project)}
    stays = {m.stay_id: m for m in ModuleFigures.objects.filter(stay__placement__project=budget.project)}
    lines = []
    for row in budget.mobilities:
        a = row.assignment
        module = learners.get(a.pk)
        lines.append(
            Line("learner", a.pk, str(a.participant), str(a.placement), module, compare(_learner_values(row), module))
        )
    for stay_row in budget.accompanying:
        stay: AccompanyingPerson = stay_row.stay
        module = stays.get(stay.pk)
        lines.append(
            Line(
                "accompanying",
                stay.pk,
                stay.person.name,
                str(stay.placement),
                module,
                compare(_stay_values(stay_row), module),
            )
        )
    return lines


def project_reconciliation(project: Project) -> tuple[Budget, list[Line]]:
    budget = project_budget(project)
    return budget, reconcile(budget)


@dataclass
class PreviewLine:
    """One row of the Module's workbook before it is saved: its row number and the line it would make."""

    row: int
    line: Line
    replaces: bool  # figures were typed or read for this mobility before


def preview(
    budget: Budget, found: dict[tuple[str, int], dict[str, Any]], rows: dict[tuple[str, int], int]
) -> list[PreviewLine]:
    """What reading `found` would show on the reconciliation, nothing saved (two queries): each row's mobility,
    our values against the file's, a column the file lacks keeping what was there."""
    learners = {m.assignment_id: m for m in ModuleFigures.objects.filter(assignment__placement__project=budget.project)}
    stays = {m.stay_id: m for m in ModuleFigures.objects.filter(stay__placement__project=budget.project)}

    def merged(kind: str, pk: int, values: dict[str, Any]) -> tuple[ModuleFigures, bool]:
        stored = (learners if kind == "learner" else stays).get(pk)
        figures = (
            ModuleFigures(**{name: getattr(stored, name) for name, _label in FIELDS}) if stored else ModuleFigures()
        )
        for name, value in values.items():
            setattr(figures, name, "" if name == "band" and value is None else value)
        return figures, stored is not None

    found_lines = []
    for row in budget.mobilities:
        key = ("learner", row.assignment.pk)
        if key in found:
            module, replaces = merged(*key, found[key])
            a = row.assignment
            line = Line(
                "learner", a.pk, str(a.participant), str(a.placement), module, compare(_learner_values(row), module)
            )
            found_lines.append(PreviewLine(rows[key], line, replaces))
    for stay_row in budget.accompanying:
        key = ("accompanying", stay_row.stay.pk)
        if key in found:
            module, replaces = merged(*key, found[key])
            stay = stay_row.stay
            cells = compare(_stay_values(stay_row), module)
            line = Line("accompanying", stay.pk, stay.person.name, str(stay.placement), module, cells)
            found_lines.append(PreviewLine(rows[key], line, replaces))
    return sorted(found_lines, key=lambda item: item.row)
