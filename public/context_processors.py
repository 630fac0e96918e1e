"""The public site's project (title, summary, address) for the public pages' header and meta tags: the project of
the site in the address (placements.sites.public_site keeps it on the request), none on pages outside a site.
"""

from django.conf import settings


def site(request):
    project = getattr(request, "site_project", None)
    return {
        "site_project": project,
        "site_slug": project.public_slug if project is not None else "",
        "site_url": settings.SITE_URL.rstrip("/"),
    }
