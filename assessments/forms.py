from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Outcome, ScaleLevel, Unit


@dataclass
class RatingRow:
    number: str
    outcome: Outcome
    level: forms.BoundField
    comment: forms.BoundField

    @property
    def errors(self):
        return [*self.level.errors, *self.comment.errors]

    @property
    def options(self):
        """(level, checked) for the radio buttons, so that the template can show each level's descriptor."""
        value = str(self.level.value() or "")
        return [(level, str(level.pk) == value) for level in self.level.field.levels]


class RoundForm(forms.Form):
    """One row per learning outcome: a level (radio buttons, "not observed" among them) and a comment.

    The rules are those of services.rating_errors; an error goes on its row, and nothing is saved.
    """

    def __init__(self, units, levels, *args, submit=False, saved=None, **kwargs):
        saved = saved or {}
        initial = {}
        for rating in saved.values():
            initial[f"level-{rating.outcome_id}"] = str(rating.level_id)
            initial[f"comment-{rating.outcome_id}"] = rating.comment
        super().__init__(*args, initial=initial, **kwargs)
        self.units, self.levels, self.submit = units, levels, submit
        choices = [(str(level.pk), level.display_label) for level in levels]
        for outcome in services.outcomes_of(units):
            level = forms.ChoiceField(label=outcome.text, choices=choices, required=False, widget=forms.RadioSelect)
            level.levels = levels
            self.fields[f"level-{outcome.pk}"] = level
            self.fields[f"comment-{outcome.pk}"] = forms.CharField(
                label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
            )

    def clean(self):
        cleaned = super().clean()
        outcome_ids = [outcome.pk for outcome in services.outcomes_of(self.units)]
        errors = services.rating_errors(self.levels, outcome_ids, self.ratings(), submit=self.submit)
        for outcome_id, (field, message) in errors.items():
            if f"level-{outcome_id}" not in self.errors:  # an invalid choice already says what is wrong
                self.add_error(f"{field}-{outcome_id}", message)
        return cleaned

    def ratings(self):
        """{outcome id: (level id or None, comment)} from the cleaned data."""
        ratings = {}
        for outcome in services.outcomes_of(self.units):
            level = self.cleaned_data.get(f"level-{outcome.pk}")
            comment = (self.cleaned_data.get(f"comment-{outcome.pk}") or "").strip()
            if level or comment:
                ratings[outcome.pk] = (int(level) if level else None, comment)
        return ratings

    def sections(self):
        """(number, unit, [RatingRow]) in the framework's order."""
        return [
            (
                number,
                unit,
                [
                    RatingRow(n, outcome, self[f"level-{outcome.pk}"], self[f"comment-{outcome.pk}"])
                    for n, outcome in outcomes
                ],
            )
            for number, unit, outcomes in services.numbered(self.units)
        ]

    def rows_with_errors(self):
        return [row for _number, _unit, rows in self.sections() for row in rows if row.errors]

    def add_service_errors(self, errors):
        for outcome_id, (field, message) in errors.items():
            name = f"{field}-{outcome_id}"
            if name in self.fields:
                self.add_error(name, message)
            else:
                self.add_error(None, message)


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded with your name and the time; the mentor sees it."),
        error_messages={"required": _("Give the reason for reopening the round.")},
    )


class TranslationsMixin:
    """One more field per language of the installation for a text several readers share ("title_pt"), kept in
    the model's JSON field of translations; empty ones are dropped."""

    translated: tuple[str, str] = ("", "")  # (the text's field, its translations' field)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field, store = self.translated
        kept = getattr(self.instance, store) or {}
        label = self.fields[field].label
        for code, name in settings.LANGUAGES:
            self.fields[f"{field}_{code}"] = forms.CharField(
                label=format_lazy("{} ({})", label, name),
                required=False,
                max_length=self.fields[field].max_length,
                initial=kept.get(code, ""),
                help_text=_("For readers of this language; leave empty where the text above is already theirs."),
            )

    def save(self, commit=True):
        field, store = self.translated
        texts = {code: self.cleaned_data.get(f"{field}_{code}", "").strip() for code, _name in settings.LANGUAGES}
        setattr(self.instance, store, {code: text for code, text in texts.items() if text})
        return super().save(commit=commit)


class UnitForm(TranslationsMixin, forms.ModelForm):
    translated = ("title", "title_translations")

    class Meta:
        model = Unit
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_title(self):
        # The qualification is not a form field, so Django would not check this constraint itself.
        title = self.cleaned_data["title"].strip()
        others = Unit.objects.filter(qualification_id=self.instance.qualification_id, title__iexact=title)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This qualification already has a unit with this title."))
        return title


class OutcomeForm(TranslationsMixin, forms.ModelForm):
    translated = ("text", "text_translations")

    class Meta:
        model = Outcome
        fields = ["unit", "kind", "text"]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, qualification, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(qualification=qualification).order_by("position", "pk")
        self.fields["unit"].empty_label = None


ScaleFormSet = forms.modelformset_factory(
    ScaleLevel,
    fields=["label", "descriptor"],
    extra=0,
    edit_only=True,
    max_num=20,  # a handful of levels; a forged TOTAL_FORMS must not build thousands of forms
    absolute_max=20,
    widgets={"descriptor": forms.Textarea(attrs={"rows": 3})},
)
