"""The dashboard's "Needs attention" items (reports.services.AttentionItem), up to a few hundred, as HTML built in
Python: one formatting call per item rather than three variables through the template engine. The markup is
reports/dashboard.html's as it was; every value is escaped as the template escaped it."""

from django import template
from django.utils.safestring import mark_safe

from common.escaping import escaped

register = template.Library()

ITEM = """
    <li class="list-group-item list-group-item-{}"><a class="link-dark" href="{}">{}</a></li>"""


@register.simple_tag
def attention_rows(items):
    return mark_safe(  # every value is escaped
        "".join(ITEM.format(escaped(item.severity), escaped(item.url), escaped(item.text)) for item in items)
    )
