from django.db import models  # noqa: F401


def public_project():
    """The project the public site presents: the newest one (placeholder until the site's own model lands)."""
    from placements.models import Project

    return Project.objects.order_by("-start_date").first()
