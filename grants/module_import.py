"""Reading the Beneficiary Module's figures from a workbook instead of typing them: the Module's export of the
project's mobility activities, which has the columns of our export (`beneficiary_module.columns()`, row 1 the
names) and the figures the Module computed itself. Rows are matched to our mobilities by our activity ID (M-12,
A-3) or else by the participant's first and last name. A column not found is not read (its fields stay as they
were), a row not matched is named, nothing is saved from a file with a cell that cannot be read.

The names of the computed columns (the distance band, the amounts) are not in the wiki pages our reference is
built from: they are ours, and a workbook without them is still read for the dates, days and transport.

The workbook is read, never kept: size-limited, opened read-only, only values, and only the first sheet."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from common.numbers import NotANumber, parse_decimal

from .models import Category
from .selectors import Budget

MAX_BYTES = 5_000_000
MAX_ROWS = 5000
# Our field: the column that holds it.
COLUMN_FOR = {
    "start": "Start date",
    "end": "End date",
    "duration": "Funded duration including travel days (in days)",
    "travel_days": "Funded travel days",
    "band": "Distance band",
    "green_travel": "Main means of transport",
    Category.TRAVEL.value: "Travel (EUR)",
    Category.INDIVIDUAL.value: "Individual support (EUR)",
    Category.ORGANISATIONAL.value: "Organisational support (EUR)",
    Category.INCLUSION.value: "Inclusion support (EUR)",
    Category.LINGUISTIC.value: "Linguistic support (EUR)",
    Category.EXCEPTIONAL.value: "Exceptional costs (EUR)",
}
ID_COLUMN, FIRST, LAST = "Mobility activity ID", "Participant first name", "Participant last name"


class NotReadable(Exception):
    """The file is not a workbook this page can read; the message says why, in words for the coordinator."""


@dataclass
class RefusedRow:
    """A row that stops the whole file: its number in the sheet, whose it is and why, in words."""

    row: int
    who: str
    reasons: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    # ("learner" | "accompanying", pk) → the fields read
    found: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    # ("learner" | "accompanying", pk) → the row of the sheet it was read from
    rows: dict[tuple[str, int], int] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)
    bad_cells: list[str] = field(default_factory=list)
    refused: list[RefusedRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the file may be saved: not a single refused row."""
        return not self.refused


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    for pattern in ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _number(value: Any) -> Decimal | None:
    """A cell's number: a number cell as it is, a text cell as people write it ("1.904,00", "1 904,00" and
    "1,904.00" are 1904; "2,240" is refused as ambiguous rather than read as 2.24)."""
    if isinstance(value, bool):
        raise ValueError(str(value))
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    text = _text(value)
    return parse_decimal(text) if text else None


def _whole(value: Any) -> int | None:
    number = _number(value)
    if number is None:
        return None
    if number != number.to_integral_value() or number < 0:
        raise ValueError(str(value))
    return int(number)


def _money(value: Any) -> Decimal | None:
    number = _number(value)
    if number is None:
        return None
    if number < 0 or number != number.quantize(Decimal("0.01")):
        raise ValueError(str(value))
    return number.quantize(Decimal("0.01"))


def _yes_no(value: Any) -> bool | None:
    text = _text(value).upper()
    if not text:
        return None
    if text in ("YES", "Y", "DA", "TRUE", "1"):
        return True
    if text in ("NO", "N", "NU", "FALSE", "0"):
        return False
    raise ValueError(text)


GREEN_MEANS = {"TRAIN", "BUS", "CAR-SHARING"}
OTHER_MEANS = {"PLANE", "CAR", "BOAT"}


def _green(value: Any) -> bool | None:
    """Green travel, as the Module derives it from the main means of transport."""
    text = _text(value).upper()
    if not text:
        return None
    if text in GREEN_MEANS:
        return True
    if text in OTHER_MEANS:
        return False
    return _yes_no(value)


PARSERS: dict[str, Callable[[Any], Any]] = {
    "start": _date,
    "end": _date,
    "duration": _whole,
    "travel_days": _whole,
    "band": _text,
    "green_travel": _green,
    **{category.value: _money for category in Category},
}


def _rows(content: bytes) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    if len(content) > MAX_BYTES:
        raise NotReadable(_("The file is larger than 5 MB: export only this project's mobilities."))
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise NotReadable(_("This is not an Excel workbook (.xlsx), whatever its name says."))
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(row)
            if len(rows) > MAX_ROWS:
                raise NotReadable(_("The sheet has more than 5,000 rows: export only this project's mobilities."))
        workbook.close()
    except NotReadable:
        raise
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise NotReadable(_("The workbook could not be read; export it again from the Module.")) from error
    return rows


def read(content: bytes, budget: Budget) -> ImportResult:
    """The Module's figures in `content`, matched to `budget`'s mobilities."""
    rows = _rows(content)
    if not rows:
        raise NotReadable(_("The workbook is empty."))
    header = [_text(name) for name in rows[0]]
    index = {name: i for i, name in enumerate(header) if name}
    result = ImportResult(missing_columns=[column for column in COLUMN_FOR.values() if column not in index])
    if ID_COLUMN not in index and (FIRST not in index or LAST not in index):
        raise NotReadable(
            _("The first row must name the columns, with “%(id)s” or the participant's first and last name.")
            % {"id": ID_COLUMN}
        )
    by_id: dict[str, tuple[str, int]] = {}
    by_name: dict[str, list[tuple[str, int]]] = {}
    for mobility in budget.mobilities:
        by_id[f"M-{mobility.assignment.pk}"] = ("learner", mobility.assignment.pk)
        name = f"{mobility.assignment.participant.first_name} {mobility.assignment.participant.last_name}"
        by_name.setdefault(name.casefold(), []).append(("learner", mobility.assignment.pk))
    for stay_row in budget.accompanying:
        by_id[f"A-{stay_row.stay.pk}"] = ("accompanying", stay_row.stay.pk)
        by_name.setdefault(stay_row.stay.person.name.casefold(), []).append(("accompanying", stay_row.stay.pk))

    def cell(row: tuple[Any, ...], column: str) -> Any:
        position = index.get(column)
        return row[position] if position is not None and position < len(row) else None

    for number, row in enumerate(rows[1:], start=2):
        identifier = _text(cell(row, ID_COLUMN))
        name = f"{_text(cell(row, FIRST))} {_text(cell(row, LAST))}".strip()
        if not identifier and not name or identifier == "*" or set(map(_text, row)) <= {"", "*"}:
            continue  # the marks of mandatory columns, or an empty row
        key: tuple[str, int] | None = by_id.get(identifier)
        if key is None:
            candidates = by_name.get(name.casefold(), [])
            if len(candidates) > 1:
                result.refused.append(
                    RefusedRow(
                        number,
                        name,
                        [
                            _("%(count)s mobilities of this project have this name: give our “%(id)s” (M-12, A-3).")
                            % {"count": len(candidates), "id": ID_COLUMN}
                        ],
                    )
                )
                continue
            key = candidates[0] if candidates else None
        if key is None:
            result.unmatched.append(_("row %(row)s (%(who)s)") % {"row": number, "who": name or identifier})
            continue
        if key in result.rows:
            result.refused.append(
                RefusedRow(
                    number,
                    name or identifier,
                    [_("the same mobility as row %(row)s: which figures are right?") % {"row": result.rows[key]}],
                )
            )
            continue
        values: dict[str, Any] = {}
        reasons: list[str] = []
        for ours, column in COLUMN_FOR.items():
            if column not in index:
                continue
            try:
                values[ours] = PARSERS[ours](cell(row, column))
            except NotANumber as error:
                reasons.append(_("“%(column)s”: %(reason)s") % {"column": column, "reason": error.reason})
                result.bad_cells.append(
                    _("row %(row)s, “%(column)s”: %(reason)s")
                    % {"row": number, "column": column, "reason": error.reason}
                )
            except (ValueError, InvalidOperation):
                value = _text(cell(row, column))[:40]
                reasons.append(_("“%(column)s”: “%(value)s” cannot be read") % {"column": column, "value": value})
                result.bad_cells.append(
                    _("row %(row)s, “%(column)s”: %(value)s") % {"row": number, "column": column, "value": value}
                )
        start, end = values.get("start"), values.get("end")
        if start and end and end < start:
            reasons.append(_("the end date comes before the start date"))
            result.bad_cells.append(_("row %(row)s: the end date comes before the start date") % {"row": number})
        result.rows[key] = number
        if reasons:
            result.refused.append(RefusedRow(number, name or identifier, reasons))
            continue
        result.found[key] = values
    return result


# The dry run's figures travel to the confirmation in the page itself, signed (nothing of the file is kept).


def _encode(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


DECODERS: dict[str, Callable[[Any], Any]] = {
    "start": date.fromisoformat,
    "end": date.fromisoformat,
    "duration": int,
    "travel_days": int,
    "band": str,
    "green_travel": bool,
    **{category.value: Decimal for category in Category},
}


def dumps(found: dict[tuple[str, int], dict[str, Any]], *, salt: str) -> str:
    from django.core import signing

    data = [
        [kind, pk, {name: _encode(value) for name, value in values.items()}] for (kind, pk), values in found.items()
    ]
    return signing.dumps(data, salt=salt, compress=True)


def loads(payload: str, *, salt: str, max_age: int = 3600) -> dict[tuple[str, int], dict[str, Any]]:
    """The figures of a dry run, as `dumps` signed them; raises django.core.signing.BadSignature (expired too)."""
    from django.core import signing

    data = signing.loads(payload, salt=salt, max_age=max_age)
    found: dict[tuple[str, int], dict[str, Any]] = {}
    for kind, pk, values in data:
        if kind not in ("learner", "accompanying") or not isinstance(pk, int):
            raise signing.BadSignature("not a mobility")
        found[(kind, pk)] = {
            name: None if value is None else DECODERS[name](value) for name, value in values.items() if name in DECODERS
        }
    return found
