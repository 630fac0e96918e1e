from django import template

from outbox import services

register = template.Library()


@register.inclusion_tag("outbox/partials/failed_alert.html", takes_context=True)
def failed_mail_alert(context):
    """For a coordinator's dashboard: a line when some of their schools' mail could not be sent."""
    return {"failed": services.failed_count(context["request"].user)}
