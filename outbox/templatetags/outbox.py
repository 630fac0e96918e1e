from django import template

from outbox import services

register = template.Library()


@register.inclusion_tag("outbox/partials/failed_alert.html")
def failed_mail_alert():
    """For a coordinator's dashboard: a line when some mail could not be sent."""
    return {"failed": services.failed_count()}
