"""Filters for printed documents, whose data is frozen as JSON (dates as ISO strings)."""

import datetime

from django import template

register = template.Library()


@register.filter
def isodate(value):
    """The date of an ISO string ("2026-12-11"), for Django's ``date`` filter; blank stays blank."""
    if not value:
        return ""
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


@register.filter
def nowrap(value):
    """The text with no-break spaces, so that a date such as "11 December 2026" never breaks across lines."""
    return str(value).replace(" ", "\u00a0")
