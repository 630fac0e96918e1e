"""The flows table's rows (placements/partials/placement_table.html: the list, a project's, a partner's and the
dashboard's), written here rather than in the template: the loop's tags, filters, dates and labels were most of
the placements list's time. The same markup, escaped as the template escapes."""

from django import template
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.html import format_html_join

from common.urls import url_for_each

from ..models import Placement

register = template.Library()

ROW = """
    <tr><td><a href="{}">{}</a></td>
      <td class="d-none d-md-table-cell">{}</td>
      <td class="text-nowrap">{} – {}</td>
      <td class="d-none d-md-table-cell">{}, {}</td>
      <td>{}</td>
      <td class="d-none d-sm-table-cell">{}</td></tr>
  """


@register.simple_tag
def placement_rows(placements):
    """A row per flow of `placements` (each with its `learner_count`, Placement.objects.for_list)."""
    detail_url = url_for_each("placements:placement_detail")
    labels = dict(Placement.Status.choices)
    short = get_format("SHORT_DATE_FORMAT")
    return format_html_join(
        "",
        ROW,
        (
            (
                detail_url(placement.pk),
                placement.title,
                placement.qualification,
                dateformat.format(placement.start_date, short) if placement.start_date else "",
                dateformat.format(placement.end_date, short) if placement.end_date else "",
                placement.city,
                placement.country.name,
                placement.learner_count,
                labels.get(placement.status, placement.status),
            )
            for placement in placements
        ),
    )
