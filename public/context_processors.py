"""The public site's project (title, summary) for the public pages' header and meta tags.

Lazy: the staff pages never touch it, so they pay no query for it.
"""

from django.conf import settings
from django.utils.functional import SimpleLazyObject


def site(request):
    from .models import public_project

    return {"site_project": SimpleLazyObject(public_project), "site_url": settings.SITE_URL.rstrip("/")}
