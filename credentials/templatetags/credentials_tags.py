from django import template

from ..models import EuropassMobility

register = template.Library()


@register.inclusion_tag("credentials/partials/my_trip_section.html")
def learner_credentials(assignment, token):
    """On a learner's My trip page, after the stage: their Europass Mobility and digital credential, once made."""
    europass = EuropassMobility.objects.filter(assignment=assignment, status=EuropassMobility.Status.ISSUED).first()
    ready = europass is not None and {"pdf-ro", "pdf-en", "elm"} <= set(europass.files)
    return {"europass": europass if ready else None, "token": token}
