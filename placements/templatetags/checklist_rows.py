"""A step of the project's checklist (placements.checklist.Step), printed a dozen times on the dashboard and the
project's page, as HTML built in Python: through the template engine each step cost some 100 µs (its variables,
conditions, filter and translations), a good share of the dashboard's own rendering. The markup is the partial's
(placements/partials/checklist.html) as it was; every value is escaped by format_html."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

register = template.Library()

STEP = """
    <li class="list-group-item" data-step="{key}" data-done="{done}">
      <span aria-hidden="true">{mark}</span>
      <a href="{url}">{title}</a>
      <span class="visually-hidden">{state}</span>
      {missing}
    </li>
    """

MISSING = """
      <ul class="small mb-0">
        {items}
      </ul>
      """

MISSING_ITEM = """
        <li><a href="{}">{}</a></li>
        """


@register.simple_tag
def checklist_step(step):
    """One step's list item, with what is missing when it is not done."""
    missing = ""
    if not step.done:
        items = format_html_join("", MISSING_ITEM, ((url, text) for text, url in step.missing))
        missing = format_html(MISSING, items=items)
    return format_html(
        STEP,
        key=step.key,
        done="yes" if step.done else "no",
        mark="✔" if step.done else "○",
        url=step.url,
        title=step.title,
        state=gettext("done") if step.done else gettext("not done"),
        missing=missing,
    )
