"""`|as_field` (common.templatetags.crispy_fast) prints what crispy's `|as_crispy_field` prints: drop-down lists,
checkboxes and radio buttons written in Python, required or not, grouped or not, chosen or not, with labels and
values that need escaping, with other ids; and any other field (errors, help text) printed by crispy itself."""

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms

from common.templatetags.crispy_fast import as_field, written_here

CHOICES = [("", "none"), ("x", "X & <y>"), ("Grupa <1>", [("1", 'unu "1"'), ("2", "doi")])]


class Choices(forms.Form):
    optional = forms.ChoiceField(label="Ana & <Ion>", choices=CHOICES, required=False)
    required = forms.ChoiceField(label="Required", choices=[("x", "X"), (3, "Trei")])
    empty_first = forms.ChoiceField(label="Empty first", choices=[("", "--"), ("x", "X")])
    ticks = forms.MultipleChoiceField(
        label="Ticks", choices=[("x", "X"), ("y", 'Y"')], widget=forms.CheckboxSelectMultiple
    )
    grouped = forms.MultipleChoiceField(
        label="Grouped", choices=[("G<", [("x", "X")])], widget=forms.CheckboxSelectMultiple, required=False
    )
    one = forms.ChoiceField(label="One", choices=[("x", "X"), ("y", "Y")], widget=forms.RadioSelect)
    helped = forms.ChoiceField(label="Helped", choices=[("x", "X")], help_text="Some <b>help</b>")


STATES = [
    {},
    {"initial": {"optional": "1", "ticks": ["y"], "one": "y", "required": 3}},
    {"data": {"optional": "x", "required": "3", "ticks": ["x", "y"], "grouped": ["x"], "one": "x", "empty_first": "x"}},
    {"data": {"optional": "zz"}},  # errors on most fields: crispy's own template
    {"auto_id": False},
    {"auto_id": "p_%s"},
]


def both(make, name):
    """The field `name` of two forms made alike, through as_field and through crispy (which changes its
    widget's classes, so each gets a form of its own)."""
    ours, theirs = make(), make()
    for form in (ours, theirs):
        if form.is_bound:
            form.is_valid()
    return ours[name], str(as_field(ours[name])), str(as_crispy_field(theirs[name]))


@pytest.mark.parametrize("state", range(len(STATES)))
@pytest.mark.parametrize("name", list(Choices.base_fields))
def test_the_fields_are_crispys_byte_for_byte(name, state):
    field, ours, theirs = both(lambda: Choices(**STATES[state]), name)
    assert ours == theirs
    # The written-here branch is the one tested, except where crispy has to print errors or help text.
    assert written_here(field) is not (bool(field.errors) or name == "helped")


def test_errors_and_help_text_are_crispys_own():
    field, ours, _theirs = both(lambda: Choices(data={"optional": "zz"}), "optional")
    assert "is-invalid" in ours and 'class="invalid-feedback"' in ours and field.errors[0] in ours
    _field, ours, _theirs = both(Choices, "helped")
    assert 'id="id_helped_helptext"' in ours


@pytest.mark.parametrize("bound", [False, True])
def test_the_placement_forms_fields_are_crispys(world, bound):
    from placements.forms import AssignParticipantsForm, HostForLearnersForm

    for form_class, data in (
        (AssignParticipantsForm, {"participants": [world.other_learner.pk], "host_company": world.host.pk}),
        (HostForLearnersForm, {"assignments": [world.assignment.pk], "host_company": world.host.pk}),
    ):
        args = (world.placement, data) if bound else (world.placement,)
        for name in form_class.base_fields:
            _field, ours, theirs = both(lambda form_class=form_class, args=args: form_class(*args), name)
            assert ours == theirs
