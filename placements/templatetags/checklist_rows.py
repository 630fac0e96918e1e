"""A step of the project's checklist (placements.checklist.Step), printed a dozen times on the dashboard and the
project's page, as HTML built in Python: through the template engine each step cost some 80 µs (its variables,
conditions, filter and translations), a good share of the dashboard's own rendering. The markup is the partial's
(placements/partials/checklist.html) as it was; every value is escaped as the template escaped it."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from common.escaping import escaped

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
        <li><a href="{url}">{text}</a></li>
        """


@register.simple_tag
def checklist_steps(steps):
    """The steps' list items, each with what is missing when it is not done."""
    return mark_safe("".join(step_item(step) for step in steps))  # escaped in step_item


def step_item(step):
    """One step's list item, its values escaped."""
    missing = ""
    if not step.done:
        items = "".join(MISSING_ITEM.format(url=escaped(url), text=escaped(text)) for text, url in step.missing)
        missing = MISSING.format(items=items)
    return STEP.format(
        key=escaped(step.key),
        done="yes" if step.done else "no",
        mark="✔" if step.done else "○",
        url=escaped(step.url),
        title=escaped(step.title),
        state=escaped(gettext("done") if step.done else gettext("not done")),
        missing=missing,
    )
