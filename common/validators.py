from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()./-]{5,30}$",
    _("Enter a phone number in digits, e.g. +40 744 123 456."),
)
