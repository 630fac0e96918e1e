"""Each reader's language and clock: what follows from a country (settings.COUNTRY_LANGUAGES and
COUNTRY_TIME_ZONES) and the time zones a person or a place may be given. A person's or a place's own setting
always wins; the country only fills it in first."""

from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.utils import timezone


def language_of_country(country) -> str:
    """The language a country's people read, among the installation's languages; English when none is known."""
    offered = {code for code, _name in settings.LANGUAGES}
    language = settings.COUNTRY_LANGUAGES.get(str(country or "").upper(), "en")
    return language if language in offered else "en"


def zone_name_of_country(country) -> str:
    return settings.COUNTRY_TIME_ZONES.get(str(country or "").upper(), settings.TIME_ZONE)


@cache
def zone(name: str) -> ZoneInfo:
    """The zone of that name, or the installation's when the name is empty or unknown."""
    try:
        return ZoneInfo(name or settings.TIME_ZONE)
    except (ValueError, KeyError):
        return ZoneInfo(settings.TIME_ZONE)


@cache
def zone_choices() -> list[tuple[str, str]]:
    """Every zone of the regions people travel between, named as the tz database names them."""
    regions = ("Europe/", "Africa/", "America/", "Asia/", "Atlantic/", "Australia/", "Indian/", "Pacific/")
    return [(name, name.replace("_", " ")) for name in sorted(available_timezones()) if name.startswith(regions)]


def today_in(name: str, now: datetime | None = None) -> date:
    """The date it is in that zone."""
    return timezone.localdate(now or timezone.now(), timezone=zone(name))


def validate_zone(name: str) -> None:
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if name and name not in available_timezones():
        raise ValidationError(_("Choose a time zone from the list, e.g. Europe/Lisbon."))


def in_reader_language(written: str, translations: dict | None) -> str:
    """Shared content (a unit's title, a learning outcome) in the language of whoever reads it now: its
    translation into that language when there is one, else as it was written."""
    from django.utils import translation

    return (translations or {}).get(translation.get_language() or "", "") or written


def every_language(written: str, translations: dict | None) -> list[tuple[str, str]]:
    """The text as written, then each translation that says something else: [(language code, text)], the code
    empty for the text as written. For a document several readers sign (the learning agreement)."""
    texts = [("", written)]
    for code, _name in settings.LANGUAGES:
        text = (translations or {}).get(code, "")
        if text and text not in {t for _c, t in texts}:
            texts.append((code, text))
    return texts
