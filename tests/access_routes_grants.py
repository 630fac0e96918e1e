"""Access-matrix entries for the grants app (the money); merged into ROUTES by test_access.py.

Coordinators write, staff read, mentors see none of it: every page refuses a mentor before any lookup.
"""

from .access_expect import ADMINS_ONLY, expect

OFFICE = expect(302, 403, 403, 200, 200)
OFFICE_POST = expect(302, 403, 403, 405, 405)
COORDINATOR = expect(302, 403, 403, 403, 200)
NOT_ALLOWED_GET = expect(302, 403, 403, 403, 405)
COORDINATOR_ACTION_POST = expect(302, 403, 403, 403, 302)


def a_rate_table(world):
    from grants.demo import load_rate_table

    return {"pk": load_rate_table().pk}


def a_payment(world):
    from decimal import Decimal

    from grants.models import Payment

    payment = Payment.objects.create(
        project=world.project,
        paid_on=world.project.start_date,
        payee="Bus company",
        category="travel",
        amount=Decimal("100.00"),
        currency="EUR",
        exchange_rate=Decimal("1"),
        amount_eur=Decimal("100.00"),
    )
    return {"pk": payment.pk}


def a_receipt(world):
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    from grants.demo import RECEIPT_PDF
    from grants.models import Receipt, receipt_file_name

    path = storages["private"].save(receipt_file_name("pdf"), ContentFile(RECEIPT_PDF))
    receipt = Receipt.objects.create(
        path=path,
        original_name="r.pdf",
        content_type="application/pdf",
        size=len(RECEIPT_PDF),
        uploaded_by=world.coordinator,
    )
    return {"pk": receipt.pk}


def a_stay(world):
    from grants.models import AccompanyingPerson
    from placements.models import ContactPerson

    teacher = ContactPerson.objects.create(organisation=world.project.sending_organisation, name="Ana Pop")
    stay = AccompanyingPerson.objects.create(
        placement=world.placement,
        person=teacher,
        start=world.placement.start_date,
        end=world.placement.end_date,
        reason="minors",
    )
    return {"pk": stay.pk}


GRANTS_ROUTES = {
    "grants:rate_tables": (None, OFFICE, OFFICE_POST),
    "grants:exchange_rates": (None, OFFICE, expect(302, 403, 403, 403, 403)),  # superusers load the rates
    "grants:rate_table_create": (None, ADMINS_ONLY, ADMINS_ONLY),
    "grants:rate_table": (a_rate_table, OFFICE, OFFICE_POST),
    "grants:rate_table_edit": (a_rate_table, ADMINS_ONLY, ADMINS_ONLY),
    "grants:location": (lambda w: {"pk": w.host.pk}, COORDINATOR, COORDINATOR),
    "grants:budget": (lambda w: {"pk": w.project.pk}, OFFICE, OFFICE_POST),
    "grants:grant_edit": (lambda w: {"pk": w.project.pk}, COORDINATOR, COORDINATOR),
    "grants:snapshot": (lambda w: {"pk": w.project.pk}, NOT_ALLOWED_GET, COORDINATOR_ACTION_POST),
    "grants:payments": (lambda w: {"pk": w.project.pk}, OFFICE, OFFICE_POST),
    "grants:payment_create": (lambda w: {"project_pk": w.project.pk}, COORDINATOR, COORDINATOR),
    "grants:payment_edit": (a_payment, COORDINATOR, COORDINATOR),
    "grants:receipt": (a_receipt, OFFICE, OFFICE_POST),
    "grants:mobility": (lambda w: {"pk": w.assignment.pk}, OFFICE, OFFICE_POST),
    "grants:mobility_edit": (lambda w: {"pk": w.assignment.pk}, COORDINATOR, COORDINATOR),
    "grants:real_cost_add": (lambda w: {"pk": w.assignment.pk}, NOT_ALLOWED_GET, COORDINATOR),
    "grants:accompanying_create": (lambda w: {"placement_pk": w.placement.pk}, COORDINATOR, COORDINATOR),
    "grants:accompanying_edit": (a_stay, COORDINATOR, COORDINATOR),
    "grants:reconciliation": (lambda w: {"pk": w.project.pk}, OFFICE, OFFICE_POST),
    "grants:module_export": (lambda w: {"pk": w.project.pk}, COORDINATOR, NOT_ALLOWED_GET),
    "grants:module_figures": (lambda w: {"assignment_pk": w.assignment.pk}, COORDINATOR, COORDINATOR_ACTION_POST),
    "grants:module_figures_stay": (lambda w: {"stay_pk": a_stay(w)["pk"]}, COORDINATOR, COORDINATOR_ACTION_POST),
}


def an_allowance(world):
    from decimal import Decimal

    from grants import services

    payment = services.record_allowance(
        placement=world.placement,
        assignment=world.assignment,
        paid_on=world.placement.start_date,
        amount=Decimal("500.00"),
        currency="RON",
        exchange_rate=Decimal("4.9770"),
        method="cash",
        advance=True,
        description="",
        user=world.coordinator,
    )
    return {"pk": payment.pk}


GRANTS_ROUTES |= {
    "grants:module_import": (lambda w: {"pk": w.project.pk}, COORDINATOR, COORDINATOR),
    "grants:payouts": (lambda w: {"pk": w.placement.pk}, OFFICE, OFFICE_POST),
    # An empty form is refused on its fields: the page again, 200.
    "grants:allowance_create": (lambda w: {"pk": w.placement.pk}, NOT_ALLOWED_GET, COORDINATOR),
    "grants:allowance_signed": (an_allowance, NOT_ALLOWED_GET, COORDINATOR),
}


def a_preparatory_visit(world):
    from datetime import timedelta

    from grants.models import PreparatoryVisit

    visit = PreparatoryVisit.objects.create(
        project=world.project,
        visited_on=world.project.start_date + timedelta(days=9),
        destination="Escola Profissional, Braga",
        persons=2,
    )
    return {"pk": visit.pk}


GRANTS_ROUTES |= {
    # An empty form is refused on its fields: the page again, 200.
    "grants:preparatory_visit_create": (lambda w: {"project_pk": w.project.pk}, COORDINATOR, COORDINATOR),
    "grants:preparatory_visit_edit": (a_preparatory_visit, COORDINATOR, COORDINATOR),
    "grants:preparatory_visit_delete": (a_preparatory_visit, NOT_ALLOWED_GET, COORDINATOR_ACTION_POST),
}
