"""crispy-bootstrap5's checkboxes and radio buttons (bootstrap5/layout/radio_checkbox_select.html), each option
written in Python: through the template engine every option cost an include and a dozen variables, which made a
list of thirty learners to tick the dearest part of a placement's page. The markup is the template's, byte for
byte (templates/bootstrap5/layout/radio_checkbox_select.html uses the template itself when a field has errors;
tests/test_check_options.py compares the two)."""

from crispy_forms.templatetags.crispy_forms_filters import optgroups
from django import template
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

register = template.Library()

OPTION = (
    '\n      <div class="form-check{inline}">'
    '\n        <input type="{type}" class="form-check-input"  name="{name}" value="{value}" {attrs}>'
    '\n        <label for="{id}" class="form-check-label">'
    "\n            {label}"
    "\n        </label>"
    "\n        "  # where the template's errors block would be
    "\n     </div>"
    "\n    "
)


def flat_attrs(attrs):
    """bootstrap5/layout/attrs.html: ` name="value"` for each attribute, ` name` for True, nothing for False."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


@register.simple_tag
def check_options(field, inline_class=""):
    """The options of a field without errors, as the template's loop writes them."""
    inline = " form-check-inline" if inline_class else ""
    name = conditional_escape(field.html_name)
    parts = []
    for group, options, _index in optgroups(field):
        parts.append(f"\n    {f'<strong>{conditional_escape(group)}</strong>' if group else ''}\n    ")
        for option in options:
            parts.append(
                OPTION.format(
                    inline=inline,
                    type=conditional_escape(option["type"]),
                    name=name,
                    value=escape(str(option["value"])),
                    attrs=flat_attrs(option["attrs"]),
                    id=conditional_escape(option["attrs"].get("id", "")),
                    label=conditional_escape(str(option["label"])),
                )
            )
        parts.append("\n    ")
    return mark_safe("".join(parts))
