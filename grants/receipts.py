"""The receipts learners sign when they are handed their allowance: one per hand-over, in Romanian (the school's
accounting keeps them), the amount in figures and in words, the EU visibility statement, lines for the signatures.
Rendered by the document worker only (grants/documents.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.text import slugify

from common import sections
from documents.rendering import render_pdf
from placements.models import Placement

from .allowances import flow_payouts
from .models import Payment
from .words import amount_figures, amount_words


def allowance_payments(placement: Placement) -> list[Payment]:
    """The flow's hand-overs to one learner each (those with a receipt to sign), by learner and date."""
    found = []
    for row in flow_payouts(placement).rows:
        found += [share.payment for share in row.paid if share.is_allowance]
    return found


def _receipt(row: Any, payment: Payment) -> dict[str, Any]:
    order = (payment.paid_on, payment.pk)
    before = sum((s.eur for s in row.paid if (s.payment.paid_on, s.payment.pk) < order), Decimal("0.00"))
    this = next(s.eur for s in row.paid if s.payment.pk == payment.pk)
    return {
        "payment": payment,
        "participant": row.assignment.participant,
        "figures": amount_figures(payment.amount, payment.currency),
        "words": amount_words(payment.amount, payment.currency),
        "due": row.due,
        "individual": row.individual,
        "services": row.services,
        "paid_before": before,
        "paid_after": before + this,
        "remaining": row.due - before - this,
    }


def receipts_pdf(placement_id: int, payment_ids: list[int] | None = None) -> tuple[bytes, str]:
    """The receipts of the flow (or only of `payment_ids`), one per page, as one PDF."""
    placement = Placement.objects.select_related("project__sending_organisation", "receiving_partner").get(
        pk=placement_id
    )
    payouts = flow_payouts(placement)
    receipts = []
    for row in payouts.rows:
        for share in row.paid:
            if share.is_allowance and (payment_ids is None or share.payment.pk in payment_ids):
                receipts.append(_receipt(row, share.payment))
    # The learners' electronic signatures of these receipts (three queries), shown on each and sealed with evidence.
    signed, printed, seal = sections.the_one(sections.RECEIPT_SIGNATURES, [r["payment"].pk for r in receipts])
    for r in receipts:
        r["signature"] = signed.get(r["payment"].pk)
    context = {"placement": placement, "project": placement.project, "receipts": receipts}
    context |= printed([r["signature"] for r in receipts if r["signature"]], "signatures")
    pdf = render_pdf("grants/documents/allowance_receipts.html", context, language="ro")
    if context["evidence"]:
        pdf = seal(pdf, reason=f"Allowance receipts {placement.title}")
    if payment_ids is not None and len(receipts) == 1:
        participant = receipts[0]["participant"]
        number = receipts[0]["payment"].pk
        name = f"chitanta-{slugify(participant.last_name)}-{slugify(participant.first_name)}-{number}"
    else:
        name = f"chitante-{slugify(placement.title)}"
    return pdf, f"{name}.pdf"
