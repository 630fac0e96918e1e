"""Small counts of people hidden, and nothing hidden that subtraction could bring back.

A table is a list of rows (dicts). Cells that count people (`people` columns) are hidden when they count fewer
than the threshold, but not none ("primary" suppression), and so is a subset whose complement within its row's
total is that small (12 of 14 completed says 2 did not). Then, as long as some published sum (a row's parts and
their total, a column's rows and their total row) leaves exactly one of its cells hidden, another cell of that
sum is hidden too ("secondary" suppression): the smallest published one, so that as little as possible goes.
What such sums cannot recover, the published table cannot either: the test tries.

A hidden cell is None; `hidden` lists (row index, column) so that a page can say why a cell is empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

Cell = tuple[int, str]


@dataclass(frozen=True)
class Sum:
    """Cells whose values add up to another cell's: `total` = sum of `parts` (each (row index, column))."""

    total: Cell
    parts: tuple[Cell, ...]

    @property
    def cells(self) -> tuple[Cell, ...]:
        return (self.total, *self.parts)


@dataclass
class Suppressed:
    rows: list[dict[str, Any]]
    hidden: set[Cell] = field(default_factory=set)


def suppress(
    rows: Sequence[dict[str, Any]],
    *,
    people: Sequence[str],
    threshold: int,
    subsets: dict[str, str] | None = None,
    sums: Sequence[Sum] = (),
    follows: dict[str, str] | None = None,
) -> Suppressed:
    """`subsets`: column -> the column counting the whole it is part of (its complement is checked too).
    `follows`: a column that is not a count of people but gives one away (days of activity, a rate) -> the count
    whose hiding hides it too."""
    values = [dict(row) for row in rows]
    hidden: set[Cell] = set()
    subsets = subsets or {}
    for index, row in enumerate(values):
        for column in people:
            value = row.get(column)
            if value is None:
                continue
            small = 0 < value < threshold
            whole = row.get(subsets[column]) if column in subsets else None
            if whole is not None and 0 < whole - value < threshold:
                small = True
            if small:
                hidden.add((index, column))
    changed = True
    while changed:
        changed = False
        # A column that gives a hidden count away goes with it (days of activity, a completion rate).
        for index in range(len(values)):
            for column, source in (follows or {}).items():
                if (index, source) in hidden and (index, column) not in hidden and column in values[index]:
                    hidden.add((index, column))
                    changed = True
        for constraint in sums:
            unknown = [cell for cell in constraint.cells if cell in hidden]
            if len(unknown) != 1:
                continue
            candidates = [cell for cell in constraint.cells if cell not in hidden]
            if not candidates:
                continue
            # The smallest published cell goes, a part before the total (a total is what readers look for).
            cell = min(candidates, key=lambda c: (c == constraint.total, _value(values, c) == 0, _value(values, c)))
            hidden.add(cell)
            changed = True
    for index, row in enumerate(values):
        for column in row:
            if (index, column) in hidden:
                row[column] = None
    return Suppressed(values, hidden)


def _value(values: list[dict[str, Any]], cell: Cell) -> int:
    index, column = cell
    return values[index].get(column) or 0


def column_sums(rows: Sequence[dict[str, Any]], columns: Sequence[str], *, total_row: int) -> list[Sum]:
    """For a table whose row `total_row` is the sum of the others: one Sum per column."""
    others = tuple(i for i in range(len(rows)) if i != total_row)
    return [Sum((total_row, column), tuple((i, column) for i in others)) for column in columns]


def row_sums(rows: Sequence[dict[str, Any]], total: str, parts: Sequence[str]) -> list[Sum]:
    """For a table whose column `total` is, in every row, the sum of `parts`."""
    return [Sum((i, total), tuple((i, part) for part in parts)) for i in range(len(rows))]
