"""The Today row and the week grid's row and cells, printed hundreds of times per page, as HTML built in Python.

Through the template engine each of these cost some 100 µs (two dozen variables, translations and tags
apiece), which made a mentor's Today with 200 learners and a 30-learner week grid many times slower than
the rest of the site. Here each is one string formatting call, and a week-grid row one tag for its cells. The
markup is the partial templates' markup as it was; every value from the database or a post is escaped, and the
selectors' prebuilt parts (status options, buttons, badges) are escaped where they are built.
"""

import html

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()

# django.utils.html.escape of a str without its lazy-string wrapper (the same characters encoded), which cost
# more than the escaping itself at a thousand values a page. Only for values known to be str.
_escape = html.escape

TODAY_ROW = """<li class="list-group-item{danger}" id="row-{pk}">
  <form method="post" action="{url}" hx-post="{url}" hx-target="#row-{pk}" hx-swap="outerHTML">
    {csrf}
    <input type="hidden" name="version" value="{version}">
    <div class="d-flex flex-wrap justify-content-between gap-2 mb-2">
      <span class="fw-semibold" id="name-{pk}">{name}</span>
      <span class="small" data-status="{status_code}">{state}</span>
    </div>
    <div class="d-flex flex-wrap gap-1 mb-2" role="group" aria-labelledby="name-{pk}">
      {buttons}
    </div>
    <div class="row g-2">
      <div class="col-8"><label class="visually-hidden" for="reason-{pk}">{reason_label}</label>
        <input class="form-control form-control-sm{invalid}" id="reason-{pk}" name="reason" maxlength="300" \
placeholder="{reason_placeholder}" value="{reason_value}"{described}></div>
      <div class="col-4"><label class="visually-hidden" for="hours-{pk}">{hours_label}</label>
        <input class="form-control form-control-sm" id="hours-{pk}" name="hours" inputmode="decimal" \
placeholder="{hours_placeholder}" value="{hours_value}"></div>
    </div>
    {error}
  </form>
</li>"""

WEEK_CELL = """<td class="{css}">
        <label class="visually-hidden" for="s-{key}">{label_for}</label>
        <select class="form-select form-select-sm" name="s-{key}" id="s-{key}"{invalid}>{options}</select>
        <input type="hidden" name="v-{key}" value="{version}">
        <input class="form-control form-control-sm mt-1" name="r-{key}" value="{reason}" maxlength="300" \
placeholder="{reason_placeholder}" aria-label="{reason_label}">
        <input class="form-control form-control-sm mt-1" name="h-{key}" value="{hours}" inputmode="decimal" \
placeholder="{hours_placeholder}" aria-label="{hours_label}">
        {error}
      </td>"""


def _shared(context):
    """The CSRF field and the translated labels, made once per page rather than once per row."""
    shared = context.render_context.get("attendance_rows")
    if shared is None:
        token = context.get("csrf_token")
        csrf = ""
        if token and token != "NOTPROVIDED":  # as {% csrf_token %} does
            csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
        shared = {
            "csrf": csrf,
            "not_recorded": escape(gettext("not recorded")),
            "reason_label": escape(gettext("Reason")),
            "hours_label": escape(gettext("Hours")),
            "today_reason_placeholder": escape(gettext("Reason, if needed")),
            "today_hours_placeholder": escape(gettext("hours")),
            "week_reason_placeholder": escape(gettext("reason")),
        }
        context.render_context["attendance_rows"] = shared
    return shared


@register.simple_tag(takes_context=True)
def today_row(context, row):
    """One learner's row of the Today screen (a row of attendance.selectors.today_rows)."""
    shared = _shared(context)
    pk, error = row["pk"], row["error"]
    if row["badge"]:
        state = row["badge"] + (f" · {escape(row['reason'])}" if row["reason"] else "")
    else:
        state = f'<span class="text-body-secondary">{shared["not_recorded"]}</span>'
    return mark_safe(
        TODAY_ROW.format(
            pk=pk,
            danger=" list-group-item-danger" if error else "",
            url=escape(row["url"]),
            csrf=shared["csrf"],
            version=row["version"],
            name=escape(row["name"]),
            status_code=escape(row["status_code"]),
            state=state,
            buttons=row["buttons"],
            reason_label=shared["reason_label"],
            invalid=" is-invalid" if error else "",
            reason_placeholder=shared["today_reason_placeholder"],
            reason_value=escape(row["reason_value"]),
            described=f' aria-describedby="error-{pk}" autofocus' if error else "",
            hours_label=shared["hours_label"],
            hours_placeholder=shared["today_hours_placeholder"],
            hours_value=escape(row["hours_value"]),
            error=(
                f'<div class="invalid-feedback d-block" id="error-{pk}" role="alert">{escape(error)}</div>'
                if error
                else ""
            ),
        )
    )


def _week_cell(cell, shared):
    """One learner-day of the week grid (a cell of attendance.selectors.week_context): a form's fields when
    the user may record it, what is recorded otherwise."""
    if not cell["editable"]:
        if cell["record"]:
            shown = f'<span title="{_escape(cell["title"])}">{_escape(cell["label"])}</span>'
        elif cell["holiday"]:
            shown = "—"
        elif cell["future"]:
            shown = '<span class="text-body-secondary">·</span>'
        else:
            shown = f'<span class="text-body-secondary small">{shared["not_recorded"]}</span>'
        return f'<td class="{cell["css"]}">\n        {shown}\n      </td>'
    key, error, reason, hours = _escape(cell["key"]), cell["error"], cell["reason"], cell["hours"]
    return WEEK_CELL.format(
        css=cell["css"],
        key=key,
        label_for=_escape(cell["label_for"]),
        invalid=f' aria-describedby="e-{key}" aria-invalid="true"' if error else "",
        options=cell["options"],
        version=cell["version"],
        reason=_escape(reason) if reason else "",
        reason_placeholder=shared["week_reason_placeholder"],
        reason_label=shared["reason_label"],
        hours=_escape(hours) if hours else "",
        hours_placeholder=_escape(cell["hours_placeholder"]),
        hours_label=shared["hours_label"],
        error=f'<div class="small text-danger" id="e-{key}">{_escape(str(error))}</div>' if error else "",
    )


@register.simple_tag(takes_context=True)
def week_row(context, row):
    """One learner's row of the week grid (a row of attendance.selectors.week_context): the name, a link to
    their attendance, and a cell per day, with the whitespace the template's loop over the cells printed."""
    shared = _shared(context)
    learner = row["assignment"].participant
    cells = "".join(f"\n      {_week_cell(cell, shared)}\n    " for cell in row["cells"])
    return mark_safe(
        f'<tr><th scope="row" class="text-nowrap"><a href="{_escape(row["url"])}">{_escape(learner.last_name)} '
        f"{_escape(learner.first_name)}</a></th>\n    {cells}</tr>"
    )
