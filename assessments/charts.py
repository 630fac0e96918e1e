"""Small charts as inline SVG, drawn on the server: no JavaScript, and the same markup can go into a PDF.

Each chart has a <title> and a <desc> (read by screen readers through aria-labelledby); the page puts a
table with the same figures next to it.
"""

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .models import AssessmentRound

WIDTH = 360  # about a phone's width, so that text stays legible when the chart scales to the page
BASELINE_COLOUR = "#8c959f"
FINAL_COLOUR = "#0d6efd"
GAIN_COLOUR = "#198754"
LOSS_COLOUR = "#dc3545"
TEXT = 'font-family="system-ui, sans-serif" font-size="{size}" fill="{fill}"'


def _text(x, y, content, *, size=11, fill="#212529", anchor="start", weight="normal"):
    return format_html(
        '<text x="{}" y="{}" text-anchor="{}" font-weight="{}" ' + TEXT + ">{}</text>",
        _num(x),
        _num(y),
        anchor,
        weight,
        content,
        size=size,
        fill=fill,
    )


def _rect(x, y, width, height, fill):
    return format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" rx="1.5"/>',
        _num(x),
        _num(y),
        _num(width),
        _num(height),
        fill,
    )


def _line(x1, y1, x2, y2, stroke="#dee2e6", width=1):
    return format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}"/>',
        _num(x1),
        _num(y1),
        _num(x2),
        _num(y2),
        stroke,
        width,
    )


def _num(value):
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(chart_id, height, title, description, parts):
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'class="chart chart-svg" '
        'role="img" aria-labelledby="{id}-title {id}-desc" id="{id}">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{parts}</svg>',
        w=WIDTH,
        h=_num(height),
        id=chart_id,
        title=title,
        desc=description,
        parts=mark_safe("".join(str(part) for part in parts)),
    )


def progress_chart(units, levels, *, chart_id="progress-chart", title=None):
    """Baseline against final level for every outcome, as pairs of horizontal bars grouped by unit.

    `units` are services.UnitProgress; `levels` the scale (its points give the axis).
    """
    top_points = max((level.points for level in levels if level.points is not None), default=4)
    left, right, top = 34, WIDTH - 10, 24
    step = (right - left) / top_points
    parts = []
    y = top
    for unit in units:
        parts.append(_text(2, y + 11, _("Unit %(number)s") % {"number": unit.number}, weight="600"))
        y += 16
        for outcome in unit.outcomes:
            parts.append(_text(2, y + 12, outcome.number, size=11, fill="#495057"))
            for offset, kind, colour in ((0, "baseline", BASELINE_COLOUR), (9, "final", FINAL_COLOUR)):
                level = outcome.levels.get(kind)
                if level is None:  # the round is not submitted, or the outcome was added after it
                    continue
                if level.points is None:
                    parts.append(_text(left + 3, y + offset + 7.5, level.display_label, size=8, fill="#6c757d"))
                else:
                    parts.append(_rect(left, y + offset, level.points * step, 7, colour))
            y += 22
        y += 2
    bottom = y
    grid = [_line(left, top - 4, left, bottom, stroke="#adb5bd")]
    for p in range(1, top_points + 1):
        x = left + p * step
        grid.append(_line(x, top - 4, x, bottom))
        grid.append(_text(x, top - 8, str(p), size=11, fill="#495057", anchor="end" if p == top_points else "middle"))
    legend_y = bottom + 16
    legend = [
        _rect(left, legend_y - 8, 10, 8, BASELINE_COLOUR),
        _text(left + 14, legend_y, AssessmentRound.Kind.BASELINE.label, size=10),
        _rect(left + 150, legend_y - 8, 10, 8, FINAL_COLOUR),
        _text(left + 164, legend_y, AssessmentRound.Kind.FINAL.label, size=10),
        _text(
            left,
            legend_y + 15,
            _("Levels 1 to %(top)s; no bar where the round is not submitted yet.") % {"top": top_points},
            size=10,
        ),
    ]
    return _svg(
        chart_id,
        legend_y + 22,
        title or _("Baseline and final level per learning outcome"),
        _(
            "Horizontal bars, two per outcome: grey for the baseline, blue for the final round. The table below "
            "gives the same levels."
        ),
        grid + parts + legend,
    )


def gain_chart(units, *, chart_id="gain-chart"):
    """Average gain per unit as horizontal bars from a zero line (losses go left, in red).

    `units` are services.UnitGain.
    """
    gains = [unit.gain for unit in units if unit.gain is not None]
    low = min([0.0, *gains])
    high = max([1.0, *gains])
    left, right, top, row = 64, WIDTH - 44, 20, 24
    scale = (right - left) / (high - low)
    zero = left + (0 - low) * scale
    parts = []
    y = top
    for unit in units:
        parts.append(_text(2, y + 13, _("Unit %(number)s") % {"number": unit.number}))
        if unit.gain is None:
            parts.append(_text(zero + 4, y + 13, _("no data"), size=10, fill="#6c757d"))
        else:
            width = abs(unit.gain) * scale
            x = zero if unit.gain >= 0 else zero - width
            parts.append(_rect(x, y + 3, max(width, 1), 14, GAIN_COLOUR if unit.gain >= 0 else LOSS_COLOUR))
            label = f"{unit.gain:+.1f}"
            parts.append(
                _text(
                    x + width + 4 if unit.gain >= 0 else x - 4,
                    y + 14,
                    label,
                    size=10,
                    anchor="start" if unit.gain >= 0 else "end",
                )
            )
        y += row
    axis = [_line(zero, top - 4, zero, y, stroke="#495057"), _text(zero, top - 7, "0", size=10, anchor="middle")]
    return _svg(
        chart_id,
        y + 6,
        _("Average gain per unit, baseline to final"),
        _(
            "One horizontal bar per unit, its length the average number of levels gained. The table gives the "
            "same figures."
        ),
        axis + parts,
    )
