"""A questionnaire question's answers as a horizontal bar chart in inline SVG, drawn on the server (no
JavaScript; the same markup goes into the PDF). The page puts a table with the same counts next to it."""

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from .questions import BAD, GOOD, MIDDLE

WIDTH = 360
LABEL_WIDTH = 130
BAR_HEIGHT = 18
GAP = 8
COLOURS = {GOOD: "#198754", MIDDLE: "#8a6d00", BAD: "#b02a37", "none": "#6c757d"}


def answers_chart(counts, *, chart_id):
    """`counts` is a selectors.QuestionCounts."""
    rows = [(value, label, counts.counts.get(value, 0)) for value, label in counts.question.choices]
    rows.append(("none", _("No answer"), counts.not_answered))
    largest = max([n for _value, _label, n in rows] + [1])
    room = WIDTH - LABEL_WIDTH - 40
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    parts = []
    for index, (value, label, n) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        width = room * n / largest
        parts.append(
            (
                y + BAR_HEIGHT - 5,
                str(label)[:22],
                LABEL_WIDTH,
                y,
                f"{width:.1f}",
                BAR_HEIGHT,
                COLOURS[value],
                LABEL_WIDTH + width + 4,
                y + BAR_HEIGHT - 5,
                n,
            )
        )
    body = format_html_join(
        "",
        '<text x="4" y="{}" font-size="12" fill="#212529">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" rx="1.5"/>'
        '<text x="{}" y="{}" font-size="12" fill="#212529">{}</text>',
        parts,
    )
    description = "; ".join(f"{label}: {n}" for _value, label, n in rows)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" class="chart-svg" '
        'role="img" aria-labelledby="{id}-title {id}-desc" id="{id}" font-family="system-ui, sans-serif">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        w=WIDTH,
        h=height,
        id=chart_id,
        title=counts.question.text,
        desc=description,
        body=body,
    )
