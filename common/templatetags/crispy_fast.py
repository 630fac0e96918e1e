"""`{{ form.field|as_field }}`: what crispy's `|as_crispy_field` prints (crispy-bootstrap5's field.html, Django's
select widget), written in Python for the fields a page shows most: a drop-down list, checkboxes or radio buttons
without errors or help text. Through the templates each such field cost several includes and a dozen tags, each
option an include of its own: the two forms of a placement's page spent a fifth of it there. Any other field (an
error to show, help text, a form helper, another widget) goes to crispy itself, so the markup is crispy's in every
case; tests/test_crispy_fast.py compares the two byte for byte."""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.conf import settings
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

from .check_options import check_options, flat_attrs

register = template.Library()

# bootstrap5/field.html with no errors, help text, wrapper or field classes; {label} already has its asterisk.
FIELD = (
    '\n\n\n    \n    <div id="div_{auto_id}" class="mb-3">\n        \n'
    "{label}\n        \n\n        \n{control}    </div>\n    \n\n"
)
LABEL = (
    '            \n            <label\n                {for_attr} class="form-label{required}">\n'
    "                {text}{asterisk}\n            </label>"
)
LEGEND = (
    '            <fieldset>\n            <legend\n                 class="form-label{required} fs-6">\n'
    "                {text}{asterisk}\n            </legend>"
)
SELECT = (
    "\n        \n            \n                \n                    \n                        \n"
    "                            {widget}\n                        \n                    \n                    \n"
    "                        \n\n\n    \n\n\n\n\n    \n\n\n\n                    \n                \n"
    "            \n        \n        \n"
)
# bootstrap5/layout/radio_checkbox_select.html (the project's, through check_options) and its help_text.html.
CHECKS = "            \n\n\n<div >\n\n    {options}\n\n</div>\n\n\n\n\n        \n\n        \n        </fieldset>\n"
ASTERISK = '<span class="asteriskField">*</span>'
DJANGO_SELECT = (forms.Select.template_name, forms.Select.option_template_name)


def _text(value):
    """A value as `{{ value }}` prints it in a template (localized, escaped)."""
    value = localize(template_localtime(value))
    return conditional_escape(value if isinstance(value, str) else str(value))


def _crispy_class(widget, extra):
    """The class crispy's `{% crispy_field field 'class' extra %}` gives the widget (without changing it)."""
    name = type(widget).__name__.lower()
    name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(name, name)
    css = widget.attrs.get("class", "")
    css = (css if name in css else f"{css} {name}") if css else name
    return " ".join([css, *(word for word in extra.split() if word not in css.split())])


def _select(field):
    """Django's select.html and select_option.html, with crispy's classes."""
    widget = field.field.widget
    attrs = {**widget.attrs, "class": _crispy_class(widget, "form-select"), **field.build_widget_attrs({})}
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    parts = [f'<select name="{conditional_escape(field.html_name)}"{flat_attrs(attrs)}>']
    for group, options, _index in widget.optgroups(field.html_name, widget.format_value(field.value()), attrs):
        if group:
            parts.append(f'\n  <optgroup label="{_text(group)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{conditional_escape(str(option["value"]))}"{flat_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def written_here(field):
    """Whether crispy's field.html would take the branches written here."""
    widget = field.field.widget
    checks = isinstance(widget, forms.RadioSelect)  # checkboxes too
    select = isinstance(widget, forms.Select) and not widget.allow_multiple_selected
    if not (checks or select and (widget.template_name, widget.option_template_name) == DJANGO_SELECT):
        return False
    form = field.form
    return field.use_fieldset is checks and not (
        field.is_hidden
        or field.errors
        or field.help_text
        or field.field.disabled
        or not field.label
        or hasattr(form, "helper")
        or hasattr(form, "error_css_class")
        or hasattr(form, "required_css_class")
    )


@register.filter
def as_field(field):
    if not written_here(field):
        return as_crispy_field(field)
    required = field.field.required
    label = {
        "text": _text(field.label),
        "required": " requiredField" if required else "",
        "asterisk": ASTERISK if required else "",
    }
    if isinstance(field.field.widget, forms.RadioSelect):
        html = FIELD.format(
            auto_id=conditional_escape(field.auto_id),
            label=LEGEND.format(**label),
            control=CHECKS.format(options=check_options(field)),
        )
    else:
        id_for_label = field.id_for_label
        for_attr = f'for="{conditional_escape(id_for_label)}"' if id_for_label else ""
        html = FIELD.format(
            auto_id=conditional_escape(field.auto_id),
            label=LABEL.format(for_attr=for_attr, **label),
            control=SELECT.format(widget=_select(field)),
        )
    return mark_safe(html)
