"""The Commission's monthly accounting rates (InforEuro), loaded from the file InforEuro publishes, and the rule a
payment's rate follows.

The file: InforEuro's public monthly rates, as its site gives them for a year and a month
(https://ec.europa.eu/budg/inforeuro/api/public/monthly-rates?lang=EN&year=YYYY&month=M): a JSON list with one
object per currency, `{"country": …, "currency": …, "isoA3Code": "RON", "isoA2Code": "RO", "value": 4.9770,
"comment": null}`, `value` being units of the currency for 1 EUR. The month is not in the file: whoever loads it
names it. The rates are the market rates of the penultimate working day of the previous month (InforEuro's own
description), to be used for costs incurred in the month.

A payment in RON takes the rate of the month it was paid in; the coordinator may give the bank's rate instead,
with a reason, but not one more than 10 % away from the month's, nor an inverted one (0.2009 for 4.9770).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from .models import ExchangeRate

MAX_BYTES = 1_000_000
SOURCE = "InforEuro (European Commission), monthly accounting rate of the euro"
TOLERANCE = Decimal("0.10")  # a bank's rate within 10 % of the month's is accepted with a reason


class NotInforEuro(ValueError):
    """The file is not InforEuro's monthly rates; the message says why."""


@dataclass(frozen=True)
class Row:
    currency: str
    rate: Decimal


def parse(content: bytes) -> list[Row]:
    """The rates in an InforEuro monthly file, or NotInforEuro."""
    if len(content) > MAX_BYTES:
        raise NotInforEuro(_("The file is larger than 1 MB: InforEuro's monthly file is a few kilobytes."))
    try:
        items = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise NotInforEuro(_("This is not InforEuro's monthly file (JSON).")) from error
    if not isinstance(items, list) or not items:
        raise NotInforEuro(_("The file holds no rates."))
    rows: dict[str, Row] = {}
    for number, item in enumerate(items, start=1):
        code = item.get("isoA3Code") if isinstance(item, dict) else None
        value = item.get("value") if isinstance(item, dict) else None
        if not isinstance(code, str) or len(code.strip()) != 3 or isinstance(value, bool) or value is None:
            raise NotInforEuro(_("Entry %(number)s has no currency code or no value.") % {"number": number})
        try:
            rate = Decimal(str(value))
        except InvalidOperation as error:
            raise NotInforEuro(_("Entry %(number)s: the value is not a number.") % {"number": number}) from error
        if rate <= 0:
            raise NotInforEuro(_("Entry %(number)s: the value must be more than zero.") % {"number": number})
        code = code.strip().upper()
        rows[code] = Row(code, rate.quantize(Decimal("0.0001")))
    return list(rows.values())


def first_of(day: date) -> date:
    return day.replace(day=1)


@transaction.atomic
def load(*, content: bytes, month: date, user=None, source: str = "") -> int:
    """Every rate of the file for `month`, replacing that month's earlier ones; the count loaded."""
    rows = parse(content)
    month = first_of(month)
    label = source or f"{SOURCE}, {month:%m/%Y}"
    for row in rows:
        ExchangeRate.objects.update_or_create(
            currency=row.currency, month=month, defaults={"rate": row.rate, "source": label, "loaded_by": user}
        )
    return len(rows)


def rate_for(currency: str, day: date) -> ExchangeRate | None:
    return ExchangeRate.objects.filter(currency=currency, month=first_of(day)).first()


def problem_with(rate: Decimal, month_rate: Decimal) -> str | None:
    """Why `rate` cannot stand for a payment whose month's accounting rate is `month_rate`, or None."""
    if rate < 1 <= month_rate and abs(1 / rate - month_rate) / month_rate <= TOLERANCE:
        return _("%(rate)s looks inverted: 1 EUR is %(month)s RON this month, not the other way round.") % {
            "rate": rate,
            "month": month_rate,
        }
    if abs(rate - month_rate) / month_rate > TOLERANCE:
        return _("%(rate)s is more than 10 %% away from the month's accounting rate, %(month)s.") % {
            "rate": rate,
            "month": month_rate,
        }
    return None
