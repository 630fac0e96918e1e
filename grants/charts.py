"""The budget as an inline SVG (drawn with the assessments app's primitives): per category, what was awarded,
planned and spent, one bar each; a bar over the award is red. The page shows the same figures in a table."""

from django.utils.html import conditional_escape
from django.utils.translation import gettext as _

from assessments import charts

from .calculator import written

AWARDED = "#8c959f"
PLANNED = "#0d6efd"
SPENT = "#198754"
OVER = "#dc3545"


# The markup of assessments.charts._rect and _text, written without format_html (a page draws some sixty of them):
# the numbers and colours are ours, only the text is escaped, as conditional_escape escapes it there.
RECT = '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" rx="1.5"/>'
TEXT = (
    '<text x="{}" y="{}" text-anchor="start" font-weight="{}" font-family="system-ui, sans-serif" font-size="{}" '
    'fill="#212529">{}</text>'
)


def _rect(x, y, width, height, colour):
    return RECT.format(charts._num(x), charts._num(y), charts._num(width), charts._num(height), colour)


def _text(x, y, content, *, size=11, weight="normal"):
    return TEXT.format(charts._num(x), charts._num(y), weight, size, conditional_escape(content))


def budget_chart(categories, chart_id="budget-chart"):
    top = max([1, *(float(max(row.awarded, row.planned, row.spent)) for row in categories)])
    left, right = 10, charts.WIDTH - 70
    scale = (right - left) / top
    parts, y = [], 8
    for row in categories:
        parts.append(_text(left, y + 11, row.label, weight="600"))
        y += 15
        for value, colour in (
            (row.awarded, AWARDED),
            (row.planned, OVER if row.planned_over else PLANNED),
            (row.spent, OVER if row.spent_over else SPENT),
        ):
            width = max(float(value) * scale, 1)
            parts.append(_rect(left, y, width, 10, colour))
            parts.append(_text(left + width + 4, y + 9, f"{written(f'{value:,.0f}')} EUR", size=10))
            y += 13
        y += 6
    x = left
    for colour, label in ((AWARDED, _("awarded")), (PLANNED, _("planned")), (SPENT, _("spent")), (OVER, _("over"))):
        parts += [_rect(x, y, 10, 8, colour), _text(x + 14, y + 8, label, size=10)]
        x += 24 + 6.2 * len(str(label))
    return charts._svg(
        chart_id,
        y + 16,
        _("Budget per category"),
        _(
            "Three bars per category: awarded, planned and spent; red when above the award. "
            "The table gives the figures."
        ),
        parts,
    )
