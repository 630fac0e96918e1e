"""The week grid's signatures: each learner's mentor and learner signature, signed, void or missing."""

import base64

from django import template
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from accounts.roles import OFFICE, has_role
from common.urls import url_for_each
from signatures import services
from signatures.models import PaperSheet

register = template.Library()
STATES = "signatures/partials/states.html"


# A learner's line of the week grid's signatures, as the template's loop over the lines printed it: through the
# template engine each line cost more than the rest of the section (a URL reversed, a dozen variables).
LINE = """
    <li class="list-group-item" data-signatures="{pk}">
      <div class="d-flex flex-wrap justify-content-between gap-2">
        <span class="fw-semibold">{name}</span>
        <a class="btn btn-sm btn-outline-primary" href="{url}">{label}</a>
      </div>
      {states}
    </li>
  """


@register.inclusion_tag("signatures/partials/week_signatures.html", takes_context=True)
def week_signatures(context):
    rows, placement, monday = context.get("rows") or [], context["placement"], context["monday"]
    assignments = [row["assignment"] for row in rows]
    pairs = services.week_pairs(assignments, placement, monday) if assignments else {}
    # Most learners of a week have no signature yet: their lines' states are the same, rendered once.
    unsigned = ""
    sign_url = url_for_each("signatures:sign_week", f"{monday:%Y-%m-%d}")
    label = escape(gettext("Signatures"))
    lines = []
    for assignment in assignments:
        pair = pairs[assignment.pk]
        if any(state.event for state in pair):
            states = render_to_string(STATES, {"signature_pair": pair})
        else:
            unsigned = unsigned or render_to_string(STATES, {"signature_pair": pair})
            states = unsigned
        lines.append(
            LINE.format(
                pk=assignment.pk,
                name=escape(assignment.participant.full_name),
                url=escape(sign_url(assignment.pk)),
                label=label,
                states=states,
            )
        )
    user = context["request"].user
    office = has_role(user, OFFICE)
    return {
        "monday": monday,
        "placement": placement,
        "lines": mark_safe("".join(lines)),  # each value escaped above; the states by their template
        "office": office,
        # The signed sheet's scan is the flow's school's coordinator's to add (roles per school): the week grid's
        # own flag, by the role in the flow's school (attendance.selectors.week_context), not the menu's.
        "may_upload": bool(context.get("is_coordinator")),
        # The paper route: the scans of this week's sheet signed by hand (one query).
        "paper_sheets": list(PaperSheet.objects.filter(placement=placement, week_start=monday)) if office else [],
    }


@register.simple_tag
def signing_code(assignment):
    return services.current_code(assignment)


@register.filter
def svg_data_uri(svg):
    """A drawn signature's SVG (made on the server from numbers) as an image source for the PDF."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


@register.inclusion_tag("signatures/partials/placement_signatures.html", takes_context=True)
def placement_signatures(context):
    """The coordinator's view of a flow's signed weeks, under the attendance summary."""
    assignments = [summary.assignment for summary in context.get("summaries") or []]
    placement = context["placement"]
    agreements = list(services.agreement_states(assignments).values()) if assignments else []
    office = has_role(context["request"].user, OFFICE)  # money is the office's: a mentor sees no receipts
    receipts = services.receipt_counts(placement) if assignments and office else None
    return {
        "receipts": receipts,
        "placement": placement,
        "weeks": services.placement_counts(assignments, placement) if assignments else [],
        "agreements": services.document_counts(agreements) if agreements else None,
        "agreement_states": agreements,
    }
