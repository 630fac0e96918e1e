"""The dashboard's "Needs attention" items (reports.services.AttentionItem), up to a few hundred, as HTML built in
Python: one formatting call per item rather than three variables through the template engine. The markup is
reports/dashboard.html's as it was; every value is escaped by format_html_join."""

from django import template
from django.utils.html import format_html_join

register = template.Library()

ITEM = """
    <li class="list-group-item list-group-item-{}"><a class="link-dark" href="{}">{}</a></li>"""


@register.simple_tag
def attention_rows(items):
    return format_html_join("", ITEM, ((item.severity, item.url, item.text) for item in items))
