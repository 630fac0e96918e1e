from decimal import Decimal, InvalidOperation

from django import template
from django.utils import timezone
from django.utils.formats import number_format

from common import durations
from common.locales import zone

register = template.Library()


@register.filter
def verbose_name(instance):
    return instance._meta.verbose_name


@register.filter
def money(amount, currency="EUR"):
    """An amount as the reader's language writes money: its thousands and decimal separators, two decimals, the
    currency after the amount with a no-break space ("13.035,00 EUR" in Romanian, "13,035.00 EUR" in English).
    The one way every page and document shows money; an empty amount stays empty."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return amount
    text = number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    return f"{text}\u00a0{currency}" if currency else text


@register.filter
def zone_note(zone_name, moment):
    """After a time shown on another clock than the reader's (`{{ t|timezone:z|date:"H:i" }}{{ z|zone_note:t }}`):
    that clock's abbreviation, as a ticket prints it (" WET", " EEST"); nothing when the reader's clock is the same
    at that moment."""
    if not zone_name or moment is None:
        return ""
    there = timezone.localtime(moment, zone(zone_name))
    here = timezone.localtime(moment)
    if there.utcoffset() == here.utcoffset() and there.tzname() == here.tzname():
        return ""
    return f"\u00a0{there.tzname()}"


@register.filter
def leg_duration(leg):
    """How long a travel leg takes, in real time (`{{ leg|leg_duration }}`): "4 hours and 5 minutes"."""
    if leg is None or not leg.departs_at or not leg.arrives_at:
        return ""
    return durations.duration_text(durations.elapsed(leg.departs_at, leg.arrives_at))


@register.filter
def leaves_in(moment, zone_name=""):
    """How soon a departure is (`{{ leg.departs_at|leaves_in:leg.departure_zone_name }}`): "leaves in 3 hours",
    "leaves tomorrow"; empty once it has left."""
    if moment is None:
        return ""
    return durations.leaves_in(moment, zone_name)
