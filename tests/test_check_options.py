"""The project's radio_checkbox_select.html (options written in Python by common.templatetags.check_options)
prints what crispy-bootstrap5's own template prints, for checkboxes and radio buttons, grouped or not, inline or
not, ticked or not, with labels that need escaping, and with errors."""

from pathlib import Path

import crispy_bootstrap5
import pytest
from django import forms
from django.template import Context, Engine, engines

CHOICES = [("a", "Ana & <Ion>"), ("b", 'Bogdan "B"'), (3, "Trei")]
GROUPED = [("Grupa 1", [("a", "Ana"), ("b", "Bogdan")]), ("Grupa <2>", [("c", "Cezar")])]


class Checks(forms.Form):
    ticks = forms.MultipleChoiceField(choices=CHOICES, widget=forms.CheckboxSelectMultiple)
    grouped = forms.MultipleChoiceField(choices=GROUPED, widget=forms.CheckboxSelectMultiple, required=False)
    one = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect(attrs={"data-x": "1"}))


def crispy_original():
    """crispy-bootstrap5's template itself, bypassing the project's templates folder."""
    folder = Path(crispy_bootstrap5.__file__).parent / "templates"
    engine = Engine(dirs=[str(folder)], libraries=engines["django"].engine.libraries)
    return engine.get_template("bootstrap5/layout/radio_checkbox_select.html")


def project_template():
    return engines["django"].engine.get_template("bootstrap5/layout/radio_checkbox_select.html")


@pytest.mark.parametrize("data", [None, {"ticks": ["a", "3"], "one": "b"}, {"grouped": ["c"]}])
@pytest.mark.parametrize("inline_class", ["", "inline"])
@pytest.mark.parametrize("name", ["ticks", "grouped", "one"])
def test_the_options_are_the_templates_byte_for_byte(name, inline_class, data):
    form = Checks(data=data)
    if data is not None:
        form.is_valid()  # with {"grouped": [...]} alone, ticks and one have errors: the template's own loop
    field = form[name]
    context = {"field": field, "inline_class": inline_class, "form_show_errors": True, "field_class": ""}
    expected = crispy_original().render(Context(context))
    assert project_template().render(Context(context)) == expected
    assert 'class="form-check-input' in expected
