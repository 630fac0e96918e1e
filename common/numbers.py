"""Numbers as people write them: "3450,50", "3.450,50", "3 450,50" and "3450.50" are one amount, whatever the
page's language, and a separator is never dropped silently.

The rule: the last separator followed by one, two or four and more digits is the decimal mark; a separator that
occurs more than once, or next to the other kind, groups thousands (groups of exactly three digits). One comma
or one point followed by exactly three digits ("2,240", "3.450") could be either, and is refused as ambiguous
unless the number has no thousands (`thousands=False`: an exchange rate such as "4,977" is 4.977).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

# Ordinary, no-break and narrow no-break spaces, and the apostrophe some write as a thousands mark.
_SPACES = re.compile(r"[ \u00a0\u202f\u2009']")


class NotANumber(ValueError):
    """The text is not a number; `reason` says why, in words for the person who typed it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


AMBIGUOUS = _("“%(text)s” could be read two ways: write %(decimal)s for a decimal or %(whole)s for a whole amount.")
NOT_A_NUMBER = _("“%(text)s” is not a number.")


def _grouped(text: str, separator: str) -> bool:
    return bool(re.fullmatch(r"\d{1,3}(?:" + re.escape(separator) + r"\d{3})+", text))


def parse_decimal(text: str, *, thousands: bool = True) -> Decimal:
    """The number `text` means, or NotANumber with the reason."""
    original = str(text).strip()
    sign = ""
    body = original
    if body[:1] in ("+", "-"):
        sign, body = ("-" if body[0] == "-" else ""), body[1:].strip()
    spaced = bool(_SPACES.search(body))
    if spaced:
        groups = _SPACES.split(body)
        middle_ok = all(re.fullmatch(r"\d{3}", g) for g in groups[1:-1])
        last_ok = re.fullmatch(r"\d{3}(?:[.,]\d*)?", groups[-1])
        if not thousands or not re.fullmatch(r"\d{1,3}", groups[0]) or not middle_ok or not last_ok:
            raise NotANumber(str(NOT_A_NUMBER % {"text": original}))
        body = "".join(groups)
    if not re.fullmatch(r"[\d.,]*\d[\d.,]*", body):
        raise NotANumber(str(NOT_A_NUMBER % {"text": original}))
    commas, points = body.count(","), body.count(".")
    if commas and points:
        decimal_mark = "," if body.rfind(",") > body.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        whole, _mark, fraction = body.rpartition(decimal_mark)
        if not thousands or decimal_mark in whole or not _grouped(whole, group_mark):
            raise NotANumber(str(NOT_A_NUMBER % {"text": original}))
        number = f"{whole.replace(group_mark, '')}.{fraction}"
    elif commas + points > 1:
        mark = "," if commas else "."
        if not thousands or not _grouped(body, mark):
            raise NotANumber(str(NOT_A_NUMBER % {"text": original}))
        number = body.replace(mark, "")
    elif commas + points == 1:
        mark = "," if commas else "."
        whole, _mark, fraction = body.partition(mark)
        could_be_thousands = len(fraction) == 3 and re.fullmatch(r"[1-9]\d{0,2}", whole)
        if thousands and could_be_thousands and not spaced:
            raise NotANumber(
                str(
                    AMBIGUOUS
                    % {
                        "text": original,
                        "decimal": f"{whole}{mark}{fraction.rstrip('0') or '0'}",
                        "whole": f"{whole}{fraction}",
                    }
                )
            )
        number = f"{whole or '0'}.{fraction}"
    else:
        number = body
    try:
        return Decimal(sign + number)
    except InvalidOperation as error:
        raise NotANumber(str(NOT_A_NUMBER % {"text": original})) from error
