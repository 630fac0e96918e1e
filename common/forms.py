from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .validators import parse_id


class DateInput(forms.DateInput):
    """The browser's own date picker; ISO format so that the value round-trips in every language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, with every submitted id checked before the query: `pk__in=[10**23]` raises OverflowError on
    SQLite (a 500), while `pk=10**23` is handled by Django. A model form names it in `Meta.field_classes` for
    each many-to-many field; tests/test_forms_fuzz.py fails for a form that uses Django's own."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        field = self.queryset.model._meta.pk if key == "pk" else self.queryset.model._meta.get_field(key)
        if isinstance(field, models.IntegerField | models.ForeignKey):
            for item in value:
                if parse_id(item) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": item}
                    )
        return super()._check_values(value)


class DateTimeField(forms.DateTimeField):
    """Django's, refusing moments the database cannot store: 0001-01-01 00:00 in Bucharest is a year 0 in UTC,
    and converting it raised OverflowError (a 500). A model form names it in `Meta.field_classes`."""

    default_error_messages = {"out_of_range": _("Enter a date between the years 1900 and 2999.")}

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is not None and not 1900 <= moment.year <= 2999:
            raise ValidationError(self.error_messages["out_of_range"], code="out_of_range")
        return moment


class ZoneSelect(forms.Select):
    """A time zone by its tz database name; the empty choice leaves it to the country (common.locales)."""

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs)
        self.choices = [("", _("As the country"))]

    def get_context(self, name, value, attrs):
        from .locales import zone_choices

        self.choices = [("", _("As the country")), *zone_choices()]
        return super().get_context(name, value, attrs)
