"""The week grid's signatures: each learner's mentor and learner signature, signed, void or missing."""

import base64

from django import template
from django.template.loader import render_to_string

from accounts.roles import OFFICE, has_role
from signatures import services
from signatures.models import PaperSheet

register = template.Library()
STATES = "signatures/partials/states.html"


@register.inclusion_tag("signatures/partials/week_signatures.html", takes_context=True)
def week_signatures(context):
    rows, placement, monday = context.get("rows") or [], context["placement"], context["monday"]
    assignments = [row["assignment"] for row in rows]
    pairs = services.week_pairs(assignments, placement, monday) if assignments else {}
    lines = [(a, pairs[a.pk]) for a in assignments]
    # Most learners of a week have no signature yet: their lines are the same, rendered once.
    blank = next((pair for _a, pair in lines if not any(state.event for state in pair)), None)
    user = context["request"].user
    office = has_role(user, OFFICE)
    return {
        "monday": monday,
        "placement": placement,
        "lines": lines,
        "unsigned": render_to_string(STATES, {"signature_pair": blank}) if blank else "",
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
