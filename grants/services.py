"""The writes of the money: each in one transaction, with plain values; views only parse, call and render."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from common import private_files
from placements.models import Assignment, Placement, Project

from . import selectors
from .calculator import cents
from .models import (
    AccompanyingPerson,
    BudgetSnapshot,
    Category,
    CountryGroup,
    Location,
    ModuleFigures,
    Payment,
    ProjectGrant,
    RateTable,
    RealCost,
    Receipt,
    TravelBand,
)

BAND_FIELDS = ("min_km", "max_km", "standard_amount", "green_amount", "source")
GROUP_FIELDS = ("number", "countries", "learner_per_day", "accompanying_per_day", "source")


def save_rate_table(
    *, table: RateTable, bands: Sequence[dict[str, Any]], groups: Sequence[dict[str, Any]]
) -> RateTable:
    """The table with exactly these bands and groups (validated by the form: no gap, no overlap)."""
    with transaction.atomic():
        table.full_clean()
        table.save()
        TravelBand.objects.filter(table=table).delete()
        CountryGroup.objects.filter(table=table).delete()
        for band in bands:
            TravelBand.objects.create(table=table, **{key: band[key] for key in BAND_FIELDS})
        for group in groups:
            CountryGroup.objects.create(table=table, **{key: group[key] for key in GROUP_FIELDS})
    return table


def store_receipt(*, upload: UploadedFile, user: User) -> Receipt:
    """Check the file (its real type, its size) as every upload is, and keep it under a random name."""
    return private_files.store(Receipt, upload, folder="receipts", uploaded_by=user)


def exchange_to_eur(amount: Decimal, currency: str, rate: Decimal) -> Decimal:
    """EUR for a payment: RON divided by the rate entered (RON for 1 EUR), rounded once to the cent."""
    if rate <= 0:
        raise ValidationError(_("The exchange rate must be more than zero."))
    if currency == Payment.Currency.EUR:
        return cents(amount)
    return cents(amount / rate)


def save_payment(
    *,
    payment: Payment,
    project: Project,
    assignments: Iterable[Assignment],
    upload: UploadedFile | None,
    user: User,
) -> Payment:
    assignments = list(assignments)
    if any(a.placement.project_id != project.pk for a in assignments):
        raise ValidationError({"assignments": _("A payment can only be for learners of this project.")})
    if payment.placement_id and Placement.objects.filter(pk=payment.placement_id).exclude(project=project).exists():
        raise ValidationError({"placement": _("Choose a flow of this project.")})
    with transaction.atomic():
        if upload is not None:
            payment.receipt = store_receipt(upload=upload, user=user)
        payment.project = project
        payment.amount_eur = exchange_to_eur(payment.amount, payment.currency, payment.exchange_rate)
        payment._history_user = user  # type: ignore[attr-defined]
        payment.save()
        payment.assignments.set(assignments)
    return payment


def add_real_cost(
    *,
    assignment: Assignment,
    reason: str,
    amount: Decimal,
    upload: UploadedFile | None,
    user: User,
    kind: str = RealCost.Kind.INCLUSION,
) -> RealCost:
    with transaction.atomic():
        receipt = store_receipt(upload=upload, user=user) if upload is not None else None
        return RealCost.objects.create(assignment=assignment, kind=kind, reason=reason, amount=amount, receipt=receipt)


def save_grant(*, grant: ProjectGrant, agency_payments: Any, user: User) -> ProjectGrant:
    """The grant agreement's figures and the payments received from the National Agency, together or not at all
    (`agency_payments` is the page's validated formset)."""
    with transaction.atomic():
        grant._history_user = user  # type: ignore[attr-defined]
        grant.save()
        agency_payments.instance = grant
        agency_payments.save()
    return grant


def save_accompanying(*, stay: AccompanyingPerson) -> AccompanyingPerson:
    """The stay, and the person on the flow's list of accompanying persons (the placement's own field)."""
    with transaction.atomic():
        stay.full_clean()
        stay.save()
        stay.placement.accompanying_persons.add(stay.person)
    return stay


def set_location(
    *, organisation_id: int, place: str, latitude: Decimal, longitude: Decimal, geonames_id: int | None = None
) -> Location:
    location, _created = Location.objects.update_or_create(
        organisation_id=organisation_id,
        defaults={"place": place, "latitude": latitude, "longitude": longitude, "geonames_id": geonames_id},
    )
    return location


def take_snapshot(*, project: Project, user: User | None) -> BudgetSnapshot:
    """Keep the figures as they are now: the final report states these until a coordinator takes a new one."""
    summary = selectors.budget_summary(selectors.project_budget(project))
    return BudgetSnapshot.objects.create(project=project, taken_by=user, data=summary)


def save_module_figures(*, figures: ModuleFigures, user: User) -> ModuleFigures:
    """What the coordinator typed from the Beneficiary Module's screen for one mobility, in the history."""
    with transaction.atomic():
        figures.full_clean()
        figures._history_user = user  # type: ignore[attr-defined]
        figures.save()
    return figures


def record_allowance(
    *,
    placement: Placement,
    assignment: Assignment,
    paid_on: date,
    amount: Decimal,
    currency: str,
    exchange_rate: Decimal,
    rate_reason: str = "",
    method: str,
    advance: bool,
    description: str,
    user: User,
) -> Payment:
    """Money handed to one learner of the flow, from the individual support; the signed receipt comes later."""
    if assignment.placement_id != placement.pk:
        raise ValidationError({"assignment": _("Choose a learner of this flow.")})
    payment = Payment(
        paid_on=paid_on,
        payee=assignment.participant.full_name,
        category=Category.INDIVIDUAL,
        placement=placement,
        amount=amount,
        currency=currency,
        exchange_rate=exchange_rate,
        rate_reason=rate_reason,
        method=method,
        advance=advance,
        description=description,
    )
    return save_payment(payment=payment, project=placement.project, assignments=[assignment], upload=None, user=user)


def attach_signed_copy(*, payment: Payment, upload: UploadedFile, user: User) -> Payment:
    """The receipt the learner signed, scanned or photographed: checked and kept as every receipt is."""
    with transaction.atomic():
        payment.receipt = store_receipt(upload=upload, user=user)
        payment._history_user = user  # type: ignore[attr-defined]
        payment.save(update_fields=["receipt"])
    return payment


def import_module_figures(*, project: Project, found: dict[tuple[str, int], dict[str, Any]], user: User) -> int:
    """The Module's figures read from its workbook (module_import.read), saved for each mobility, all or none."""
    learners = set(Assignment.objects.filter(placement__project=project).values_list("pk", flat=True))
    stays = set(AccompanyingPerson.objects.filter(placement__project=project).values_list("pk", flat=True))
    with transaction.atomic():
        for (kind, pk), values in found.items():
            if (kind == "learner" and pk not in learners) or (kind == "accompanying" and pk not in stays):
                raise ValidationError(_("A row belongs to a mobility of another project."))
            lookup = {"assignment_id": pk} if kind == "learner" else {"stay_id": pk}
            figures = ModuleFigures.objects.filter(**lookup).first() or ModuleFigures(**lookup)
            for name, value in values.items():
                setattr(figures, name, "" if name == "band" and value is None else value)
            save_module_figures(figures=figures, user=user)
    return len(found)
