"""Django's own strings that its catalogues do not translate into our languages yet, listed here so that
makemessages puts them into ours (Django's runtime looks in LOCALE_PATHS first)."""

from django.utils.translation import gettext_noop

STRINGS = [
    gettext_noop("- Select an option -"),  # the empty choice of every select (django.db.models.fields)
    # filesizeformat: Django's Romanian says "KO"/"MO" (French octets), which Romanian readers do not use.
    gettext_noop("%s KB"),
    gettext_noop("%s MB"),
    gettext_noop("%s GB"),
]
