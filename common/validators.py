"""Checks of values that come from people: phone numbers, ids and numbers taken from a request."""

import re
from decimal import Decimal, InvalidOperation

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()./-]{5,30}$",
    _("Enter a phone number in digits, e.g. +40 744 123 456."),
)

# The largest id a database column holds (a signed 64-bit integer). SQLite's driver raises OverflowError for a
# larger number in a query (a 500), so no id taken from a request reaches a query unchecked.
MAX_ID = 2**63 - 1


def parse_id(value: object) -> int | None:
    """The database id written in `value` (text or int), or None: ASCII digits only (str.isdigit() also
    accepts "²", which int() refuses), from 1 to MAX_ID."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        number = int(value)
    else:
        return None
    return number if 1 <= number <= MAX_ID else None


def parse_decimal(text):
    """The finite number written in `text` ("6.5" or "6,5"), or None: Decimal() accepts "NaN", "Infinity"
    and "1e999", which no form of ours means and which break comparisons (Decimal('NaN') < 1 raises)."""
    try:
        value = Decimal(str(text).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


# C0 control characters and DEL, except tab, line feed and carriage return: nobody types them, PostgreSQL
# refuses NUL in text (a 500 on save) and openpyxl refuses the rest in a cell (the export breaks later).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_control_characters(text):
    return CONTROL_CHARACTERS.sub("", text)
