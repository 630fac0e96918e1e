from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .numbers import NotANumber, parse_decimal
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


class DecimalInput(forms.TextInput):
    """A text box that phones open with the number pad; the browser's number field is not used because it drops
    a decimal comma it does not expect ("3450,50" arrived as 345050)."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal):
            # In the page's language, without thousands: what the person would type, and read back the same.
            return formats.number_format(value, use_l10n=True, force_grouping=False)
        return super().format_value(value)


class AmountField(forms.DecimalField):
    """A number typed as people write it (common.numbers.parse_decimal): every money field and exchange rate
    uses it. `thousands=False` for a figure that never has thousands, such as an exchange rate, so that
    "4,977" is 4.977 rather than ambiguous."""

    widget = DecimalInput

    def __init__(self, *args, thousands=True, **kwargs):
        self.thousands = thousands
        kwargs.pop("localize", None)
        super().__init__(*args, **kwargs)

    def widget_attrs(self, widget):
        # DecimalField would add step/min/max, meaningful only to a browser number field.
        return forms.Field.widget_attrs(self, widget)

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_decimal(str(value), thousands=self.thousands)
        except NotANumber as error:
            raise ValidationError(error.reason, code="invalid") from error


def amount_formfield(model_field, **kwargs):
    """The form field of a model's DecimalField: `formfield_callback` of every form that asks for money."""
    if isinstance(model_field, models.DecimalField):
        thousands = model_field.decimal_places <= 2
        return model_field.formfield(form_class=AmountField, thousands=thousands, **kwargs)
    return model_field.formfield(**kwargs)


class ZoneSelect(forms.Select):
    """A time zone by its tz database name; the empty choice leaves it to the country (common.locales)."""

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs)
        self.choices = [("", _("As the country"))]

    def get_context(self, name, value, attrs):
        from .locales import zone_choices

        self.choices = [("", _("As the country")), *zone_choices()]
        return super().get_context(name, value, attrs)


def _file_help() -> str:
    return gettext("PDF, JPEG or PNG, at most %(limit)d MB.") % {"limit": settings.LEARNER_FILE_MAX_BYTES // 1_000_000}


# The help under every upload of a learner's file, formatted when shown and so in the reader's language (a lazy
# text formatted at import would be English for good).
FILE_HELP = lazy(_file_help, str)()
