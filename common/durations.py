"""How long something lasts and how soon it starts, as a reader says it: "6 hours and 40 minutes", "leaves in 3
hours", "leaves tomorrow", with each language's plural forms (Romanian has three: 1 oră, 2 ore, 20 de ore).

Elapsed time is taken between the two instants in UTC: two times on the same local clock across a change of
summer time are an hour more or less apart than their clock faces say (22:00 WET to 06:00 WEST is 7 hours, not
8), and Python subtracts two datetimes of one zone by their faces. "Tomorrow" and "in N days" count calendar days
on the clock of the place where it happens (a departure from Porto: Lisbon's), not the installation's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .locales import zone


def elapsed(start: datetime, end: datetime) -> timedelta:
    """The real time between two aware instants, whatever the zones they are written in."""
    return end.astimezone(UTC) - start.astimezone(UTC)


def duration_text(length: timedelta) -> str:
    """ "6 hours and 40 minutes", "1 hour", "45 minutes" (rounded down to the minute)."""
    minutes_in_all = max(int(length.total_seconds() // 60), 0)
    hours, minutes = divmod(minutes_in_all, 60)
    hours_text = ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    minutes_text = ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    if not hours:
        return minutes_text
    if not minutes:
        return hours_text
    return _("%(hours)s and %(minutes)s") % {"hours": hours_text, "minutes": minutes_text}


def leaves_in(moment: datetime, zone_name: str, now: datetime | None = None) -> str:
    """How soon a departure is, from `now`: minutes, then hours within a day, then "tomorrow" and days as the
    calendar of the departure's place counts them. Empty once it has left."""
    now = now or timezone.now()
    left = elapsed(now, moment)
    if left <= timedelta(0):
        return ""
    if left < timedelta(hours=1):
        minutes = max(int(left.total_seconds() // 60), 1)
        return ngettext("leaves in %(count)d minute", "leaves in %(count)d minutes", minutes) % {"count": minutes}
    if left < timedelta(days=1):
        hours = int(left.total_seconds() // 3600)
        return ngettext("leaves in %(count)d hour", "leaves in %(count)d hours", hours) % {"count": hours}
    place = zone(zone_name)
    days = (moment.astimezone(place).date() - now.astimezone(place).date()).days
    if days == 1:
        return _("leaves tomorrow")
    return ngettext("leaves in %(count)d day", "leaves in %(count)d days", days) % {"count": days}
