"""A questionnaire question's answers as a horizontal bar chart in inline SVG, drawn on the server (no
JavaScript; the same markup goes into the PDF). The page puts a table with the same counts next to it."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
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


SUMMARY_LABEL = 150


def summary_chart(results, *, chart_id, title):
    """All the questions of one questionnaire as 100 % stacked bars (positive, in between, negative, no
    answer): the final report's chart, one line per question."""
    room = WIDTH - SUMMARY_LABEL - 8
    top = 20  # the title line
    rows = [format_html('<text x="4" y="13" font-size="12" font-weight="bold" fill="#212529">{}</text>', title)]
    for index, counts in enumerate(results.questions):
        y = top + GAP + index * (BAR_HEIGHT + GAP)
        values = [counts.counts.get(v, 0) for v in (GOOD, MIDDLE, BAD)] + [counts.not_answered]
        total = sum(values) or 1
        x = SUMMARY_LABEL
        rows.append(
            format_html(
                '<text x="4" y="{}" font-size="11" fill="#212529">{}</text>', y + BAR_HEIGHT - 5, counts.question.short
            )
        )
        for value, n in zip((GOOD, MIDDLE, BAD, "none"), values, strict=True):
            width = room * n / total
            if n:
                rows.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                        f"{x:.1f}",
                        y,
                        f"{width:.1f}",
                        BAR_HEIGHT,
                        COLOURS[value],
                    )
                )
            x += width
    legend_y = top + GAP + len(results.questions) * (BAR_HEIGHT + GAP) + 10
    legend = [(_("Positive"), GOOD), (_("In between"), MIDDLE), (_("Negative"), BAD), (_("No answer"), "none")]
    for index, (label, value) in enumerate(legend):
        x = 4 + index * 88
        rows.append(
            format_html(
                '<rect x="{}" y="{}" width="10" height="10" fill="{}"/>'
                '<text x="{}" y="{}" font-size="10" fill="#212529">{}</text>',
                x,
                legend_y - 9,
                COLOURS[value],
                x + 14,
                legend_y,
                label,
            )
        )
    description = "; ".join(
        f"{c.question.short}: " + ", ".join(f"{label} {n}" for label, n in c.rows) for c in results.questions
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" class="chart-svg" '
        'role="img" aria-labelledby="{id}-title {id}-desc" id="{id}" font-family="system-ui, sans-serif">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        w=WIDTH,
        h=legend_y + 6,
        id=chart_id,
        title=title,
        desc=description,
        body=mark_safe("".join(str(row) for row in rows)),
    )
