"""The demo's money: an example rate table (the 2024 Programme Guide's travel amounts as DOMAIN.md reports them,
daily rates invented within the Commission's ranges: to be checked against the National Agency's figures), the
organisations' coordinates, the 2026 project's awarded grant, a preparatory visit to the host in Braga, an
accompanying teacher for each flow, a green traveller, a learner who came home early, and a few payments with
receipts. Idempotent."""

import unicodedata
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from accounts.models import Organisation, User
from placements.demo import MECHANIC
from placements.models import Assignment, Placement, Project

from . import services
from .models import (
    AccompanyingPerson,
    AgencyPayment,
    MobilityGrant,
    ModuleFigures,
    Payment,
    PreparatoryVisit,
    ProjectGrant,
    RateTable,
    RealCost,
    Transport,
    TravelMode,
)

EXAMPLE = "Example figures, not your National Agency's: replace them with your National Agency's table"
# The support amounts the Programme Guide of the call sets (not the National Agency): the shipped tables leave them
# empty because no source here gives them; the demo's example figures say so.
EXAMPLE_FROM_GUIDE = "Example figure, not read from a source: replace it with the Programme Guide of the call's amount"
EXAMPLE_LABEL = "VET mobility, call %s – example figures, not your National Agency's"
# Daily rates per receiving-country group (learners, accompanying persons): invented within the Commission's
# ranges for the demo only. The shipped tables leave them empty.
EXAMPLE_GROUP_RATES = {1: ("96", "168"), 2: ("80", "144"), 3: ("64", "120")}
EXAMPLE_YEARS = (2025, 2026)
# GeoNames coordinates of the demo organisations' cities (the city picker offers the same).
COORDINATES = {
    "Bacău": ("Bacău (RO)", "46.56718", "26.91384"),
    "Braga": ("Braga (PT)", "41.55140", "-8.42311"),
    "Guimarães": ("Guimarães (PT)", "41.44443", "-8.29619"),
    "Vizela": ("Vizela (PT)", "41.37826", "-8.30778"),
}
# What the Beneficiary Module asks that the rest of the demo leaves empty: the host companies' OIDs (invented, in the
# shape of the demo's other OIDs), the accompanying teachers' details; the learners are Romanian and fly.
HOST_OIDS = {
    "Metalúrgica do Cávado, Lda.": "E10000301",
    "Têxteis Guimarães, S.A.": "E10000302",
    "Couros e Confecções do Ave, Lda.": "E10000303",
}
TEACHERS = {"Ionuț Bălănescu": (date(1979, 4, 12), "male"), "Adriana Țăranu": (date(1983, 10, 27), "female")}
# A minimal one-page PDF: the demo's receipts (real ones are scans).
RECEIPT_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def ship_rate_tables() -> None:
    """The tables migration 0005 ships, written again through the same function."""
    from importlib import import_module

    from django.apps import apps as installed
    from django.db import connection

    shipped = import_module("grants.migrations.0005_rate_tables_2021_2026")
    shipped.load(installed, connection.schema_editor())


def load_rate_table(year: int = 2026) -> RateTable:
    """The shipped table of the call year (migration 0005) with example figures where it is empty: the daily
    rates, and the support amounts the Guide of the call gives but no source here could be read. Every figure so
    filled, and the table itself, say that they are examples."""
    if not RateTable.objects.filter(call_year=year).exists():
        # A database emptied after its migrations (a restore's test, a flush) has lost the shipped tables.
        ship_rate_tables()
    table = RateTable.objects.prefetch_related("groups").get(call_year=year)
    with transaction.atomic():
        for group in table.groups.all():
            if group.learner_per_day is None and group.number in EXAMPLE_GROUP_RATES:
                learner, staff = EXAMPLE_GROUP_RATES[group.number]
                group.learner_per_day, group.accompanying_per_day = Decimal(learner), Decimal(staff)
                group.source = EXAMPLE
                group.save(update_fields=["learner_per_day", "accompanying_per_day", "source"])
                table.is_example = True
        for name, amount in (
            ("organisational_support", "350"),
            ("organisational_support_beyond", "200"),
            ("linguistic_support", "150"),
            ("preparatory_visit", "575"),
        ):
            if getattr(table, name) is None:
                setattr(table, name, Decimal(amount))
                source = EXAMPLE if name == "linguistic_support" else EXAMPLE_FROM_GUIDE
                setattr(table, f"{name.removesuffix('_beyond')}_source", source)
                table.is_example = True
        if table.is_example:
            table.label = EXAMPLE_LABEL % year
            table.save()
    return table


def load_money() -> None:
    for year in EXAMPLE_YEARS:
        load_rate_table(year)
    for organisation in Organisation.objects.filter(city__in=COORDINATES, location__isnull=True):
        place, latitude, longitude = COORDINATES[organisation.city]
        services.set_location(
            organisation_id=organisation.pk, place=place, latitude=Decimal(latitude), longitude=Decimal(longitude)
        )
    project = Project.objects.filter(reference="2026-1-RO01-KA122-VET-000187412").first()
    if project is None:
        return
    grant, created = ProjectGrant.objects.get_or_create(
        project=project,
        defaults={
            "call_year": 2026,
            "max_grant": Decimal("111150.00"),
            "prefinancing_percent": 80,
            "prefinancing_due_on": date(2026, 9, 30),
            "awarded_travel": Decimal("13035.00"),
            "awarded_individual": Decimal("82000.00"),
            "awarded_organisational": Decimal("10850.00"),
            "awarded_inclusion": Decimal("4115.00"),  # 31 × 125 EUR (call 2026) + a room at real cost
            "awarded_linguistic": Decimal("0.00"),
            "awarded_exceptional": Decimal("0.00"),
            "awarded_preparatory": Decimal("1150.00"),
            "transfer_rule": (
                "Example: the grant agreement lets up to 20 % of a category's unit costs move to another category; "
                "organisational support may not grow. Check Article I.3 of your agreement."
            ),
        },
    )
    if created:
        AgencyPayment.objects.create(
            grant=grant,
            received_on=date(2026, 9, 28),
            kind=AgencyPayment.Kind.PREFINANCING,
            amount=Decimal("88920.00"),
            note="Example: 80 % of the maximum grant",
        )
    coordinator = User.objects.filter(username="coordinator").first()
    with transaction.atomic():
        _preparatory_visit(project)
        _accompanying(project)
        _learners(project)
        _module_data(project)
        if coordinator is not None and not Payment.objects.filter(project=project).exists():
            _payments(project, coordinator)
        if coordinator is not None and not Payment.objects.filter(project=project).exclude(method="").exists():
            _allowances(project, coordinator)
        if not ModuleFigures.objects.filter(assignment__placement__project=project).exists():
            _module_figures(project)


# The visit before the first flow: the coordinator and flow 1's accompanying teacher meet the intermediary and the
# host companies' tutors. Two persons, within the Guide's three; its figure is the rate table's unit cost per person.
PREPARATORY_VISIT = {
    "visited_on": date(2026, 10, 6),
    "destination": "Intercâmbio Minho – Associação para a Mobilidade, Braga",
    "persons": 2,
    "purpose": (
        "Meet the host companies' tutors in Braga and Guimarães, see the residence and the workshops, "
        "agree the learning outcomes and the safety briefing."
    ),
}


def _preparatory_visit(project: Project) -> None:
    """The project's preparatory visit, unless the project has one already."""
    if not PreparatoryVisit.objects.filter(project=project).exists():
        PreparatoryVisit.objects.create(project=project, **PREPARATORY_VISIT)


def _accompanying(project: Project) -> None:
    """The teacher the placement already names as its accompanying person (placements.demo), with days and why."""
    for placement in Placement.objects.filter(project=project).prefetch_related("accompanying_persons"):
        teacher = next(iter(placement.accompanying_persons.all()), None)
        if teacher is not None and not AccompanyingPerson.objects.filter(placement=placement).exists():
            services.save_accompanying(
                stay=AccompanyingPerson(
                    placement=placement,
                    person=teacher,
                    start=placement.start_date,
                    end=placement.start_date + timedelta(days=6),
                    reason=AccompanyingPerson.Reason.MINORS,
                    explanation="The teacher settles them in during the first week.",
                )
            )


def _learners(project: Project) -> None:
    flow1 = (
        Assignment.objects.filter(placement__project=project, placement__qualification__name=MECHANIC)
        .select_related("placement", "participant")
        .order_by("participant__name_key")
    )
    assignments = list(flow1)
    if len(assignments) < 2:
        return
    green = assignments[0]
    MobilityGrant.objects.get_or_create(
        assignment=green, defaults={"travel_mode": TravelMode.GREEN, "travel_days": 4, "note": "Train and coach."}
    )
    home = assignments[-1]
    if not MobilityGrant.objects.filter(assignment=home).exists():
        home.status = Assignment.Status.WITHDRAWN
        home.withdrawal_reason = "Came home on day 10: a parent was taken to hospital (force majeure)."
        home.save(update_fields=["status", "withdrawal_reason", "updated_at"])
        MobilityGrant.objects.create(
            assignment=home, withdrawn_on=home.placement.start_date + timedelta(days=9), force_majeure=True
        )
    needs = (
        Assignment.objects.filter(placement__project=project, participant__special_needs__startswith="Mild")
        .select_related("placement")
        .first()
    )
    if needs is not None and not RealCost.objects.filter(assignment=needs).exists():
        RealCost.objects.create(
            assignment=needs,
            reason="Room near the workshop, so that the learner walks to work",
            amount=Decimal("240.00"),
        )


def _ascii(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def _module_data(project: Project) -> None:
    """Each participant's data the Module's file needs (issue 18, item 4), where the demo left it empty: the export
    of the demo then passes the reference's checks. Nothing a coordinator typed is overwritten."""
    for name, oid in HOST_OIDS.items():
        Organisation.objects.filter(name=name, oid="").update(oid=oid)
    assignments = Assignment.objects.filter(placement__project=project).select_related("participant")
    for assignment in assignments:
        learner = assignment.participant
        changed = []
        if not learner.nationality:
            learner.nationality = "RO"
            changed.append("nationality")
        if not learner.email:
            learner.email = f"{_ascii(learner.first_name)}.{_ascii(learner.last_name)}@example.ro"
            changed.append("email")
        if changed:
            learner.save(update_fields=changed)
        grant, _created = MobilityGrant.objects.get_or_create(assignment=assignment)
        if not grant.main_transport:
            grant.main_transport = Transport.TRAIN if grant.travel_mode == TravelMode.GREEN else Transport.PLANE
            grant.save(update_fields=["main_transport"])
    for stay in AccompanyingPerson.objects.filter(placement__project=project).select_related("person"):
        born, gender = TEACHERS.get(stay.person.name, (None, ""))
        if stay.date_of_birth is None and born is not None:
            stay.date_of_birth, stay.gender, stay.nationality = born, gender, "RO"
        if not stay.main_transport:
            stay.main_transport = Transport.PLANE
        stay.save()


def _payments(project: Project, coordinator: User) -> None:
    flows = list(Placement.objects.filter(project=project).order_by("start_date", "title"))
    learners = list(Assignment.objects.filter(placement=flows[0]).order_by("participant__name_key")[:3])
    payments = [
        (
            date(2026, 10, 20),
            "TAROM / TAP (demo)",
            "travel",
            flows[0],
            [],
            "24890.00",
            "RON",
            "4.9770",
            "Group tickets, flow 1",
        ),
        (
            date(2026, 11, 14),
            "Casa do Minho residence (demo)",
            "individual",
            flows[0],
            [],
            "9600.00",
            "EUR",
            "1",
            "Accommodation",
        ),
        (
            date(2026, 11, 16),
            "Learners (cash allowance)",
            "individual",
            flows[0],
            learners,
            "2985.00",
            "RON",
            "4.9755",
            "First week's pocket money",
        ),
    ]
    for paid_on, payee, category, placement, chosen, amount, currency, rate, description in payments:
        upload = SimpleUploadedFile("receipt.pdf", RECEIPT_PDF, content_type="application/pdf")
        services.save_payment(
            payment=Payment(
                paid_on=paid_on,
                payee=payee,
                category=category,
                placement=placement,
                amount=Decimal(amount),
                currency=currency,
                exchange_rate=Decimal(rate),
                description=description,
            ),
            project=project,
            assignments=chosen,
            upload=upload,
            user=coordinator,
        )


def _allowances(project: Project, coordinator: User) -> None:
    """Flow 1's payout list: an advance in cash for five learners, three of them with the signed receipt back."""
    flow = Placement.objects.filter(project=project).order_by("start_date", "title").first()
    if flow is None:
        return
    learners = list(
        Assignment.objects.filter(placement=flow)
        .active()
        .select_related("participant")
        .order_by("participant__name_key")[3:8]
    )
    for number, assignment in enumerate(learners):
        payment = services.record_allowance(
            placement=flow,
            assignment=assignment,
            paid_on=flow.start_date + timedelta(days=1),
            amount=Decimal("995.40"),
            currency=Payment.Currency.RON,
            exchange_rate=Decimal("4.9770"),
            method=Payment.Method.CASH,
            advance=True,
            description="Advance for the first two weeks",
            user=coordinator,
        )
        if number < 3:
            upload = SimpleUploadedFile("signed-receipt.pdf", RECEIPT_PDF, content_type="application/pdf")
            services.attach_signed_copy(payment=payment, upload=upload, user=coordinator)


def _module_figures(project: Project) -> None:
    """Two learners typed from the Beneficiary Module: one agrees with us, one has a wrong band and end date."""
    from .reconciliation import _learner_values
    from .selectors import project_budget

    rows = project_budget(project).mobilities[:2]
    if len(rows) < 2:
        return
    for number, row in enumerate(rows):
        ours = _learner_values(row)
        figures = ModuleFigures(assignment=row.assignment, **ours)
        if number == 1:
            figures.band = "3,000–3,999 km"
            figures.end = ours["end"] + timedelta(days=1)
        figures.save()
