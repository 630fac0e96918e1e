"""The money: rates as data, distance and band, the grant planned and actual, accompanying persons, payments,
the kept figures of a report, the Beneficiary Module export, and who may see and write what."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from grants import calculator, selectors, services
from grants.demo import COORDINATES, RECEIPT_PDF, load_rate_table
from grants.forms import BandFormSet, GroupFormSet, PaymentForm, RateTableForm
from grants.models import AccompanyingPerson, CountryGroup, MobilityGrant, Payment, ProjectGrant, TravelMode
from grants.reporting import final_report_sections
from participants.models import Barrier
from placements.models import Assignment, ContactPerson

from .factories import AssignmentFactory, ParticipantFactory, ProjectFactory


def place(organisation, city):
    name, latitude, longitude = COORDINATES[city]
    services.set_location(
        organisation_id=organisation.pk, place=name, latitude=Decimal(latitude), longitude=Decimal(longitude)
    )


@pytest.fixture
def money(world):
    """The world's project with the example rate table, Bacău → Braga and Guimarães, a call year of 2026."""
    load_rate_table()
    ProjectGrant.objects.create(project=world.project, call_year=2026, awarded_travel=Decimal("1000"))
    place(world.project.sending_organisation, "Bacău")
    place(world.placement.receiving_partner, "Braga")
    place(world.host, "Braga")
    place(world.other_host, "Guimarães")
    return world


def row_for(assignment):
    budget = selectors.project_budget(assignment.placement.project)
    return next(row for row in budget.mobilities if row.assignment.pk == assignment.pk)


def test_bacau_to_braga_is_2853_km_in_band_2000_2999_paid_395_eur(money):
    row = row_for(money.assignment)
    assert row.planned.km == 2853
    assert str(row.planned.band) == "2,000–2,999 km"
    travel = next(line for line in row.planned.lines if line.category == "travel")
    assert travel.amount == Decimal("395.00")
    assert travel.steps == "2,853 km → band 2,000–2,999 km → 395 EUR"


def test_great_circle_uses_the_eu_sphere():
    assert calculator.great_circle_km(46.56718, 26.91384, 41.5514, -8.42311) == 2853
    assert calculator.great_circle_km(0, 0, 0, 1) == 111  # 6371 km × π / 180


def test_individual_support_is_days_times_the_groups_rate_with_two_travel_days(money):
    row = row_for(money.assignment)
    individual = next(line for line in row.planned.lines if line.category == "individual")
    assert (row.planned.activity_days, row.planned.travel_days) == (26, 2)
    # 26 days abroad + 2 travel days = 28: days 1-14 at 80, days 15-28 at 0.7 × 80 = 56 (Guide: 70 % from day 15)
    assert individual.amount == Decimal("1904.00")  # 14 × 80 + 14 × 56 = 1,120 + 784
    assert individual.steps == (
        "days 1–14 × 80 EUR = 1,120 EUR; days 15–28 × 0.7 × 80 EUR (56 EUR) = 784 EUR; 1,904 EUR"
    )


def test_a_green_traveller_gets_the_green_amount_and_the_extra_travel_days(money):
    MobilityGrant.objects.create(assignment=money.assignment, travel_mode=TravelMode.GREEN, travel_days=4)
    row = row_for(money.assignment)
    assert row.planned.travel_days == 4
    assert row.planned.days == 30
    assert row.planned.by_category()["travel"] == Decimal("535.00")
    assert row.planned.by_category()["individual"] == Decimal("2016.00")  # 14 × 80 + 16 × 56


def test_green_travel_days_are_capped_by_the_table(money):
    MobilityGrant.objects.create(assignment=money.assignment, travel_mode=TravelMode.GREEN, travel_days=9)
    assert row_for(money.assignment).planned.travel_days == 6


def withdraw_on_day_10(assignment, force_majeure):
    Assignment.objects.filter(pk=assignment.pk).update(status="withdrawn", withdrawal_reason="Went home")
    MobilityGrant.objects.create(
        assignment=assignment,
        withdrawn_on=assignment.placement.start_date + timedelta(days=9),
        force_majeure=force_majeure,
    )


def test_a_learner_withdrawn_on_day_10_by_force_majeure_is_paid_for_the_days_spent(money):
    withdraw_on_day_10(money.assignment, force_majeure=True)
    row = row_for(money.assignment)
    assert row.actual.activity_days == 10
    assert row.actual.by_category()["individual"] == Decimal("960.00")  # (10 + 2) × 80
    assert row.planned.by_category()["individual"] == Decimal("1904.00")  # 14 × 80 + 14 × 56
    assert not row.at_risk
    assert any("day 10" in change for change in row.changes)


def test_a_learner_withdrawn_without_force_majeure_is_told_the_grant_may_be_lost(money, client_for):
    withdraw_on_day_10(money.assignment, force_majeure=False)
    row = row_for(money.assignment)
    assert row.at_risk
    page = client_for(money.coordinator).get(reverse("grants:mobility", args=[money.assignment.pk]))
    assert "may be lost" in page.content.decode()


def test_an_accompanying_person_gets_travel_and_staff_rates(money):
    teacher = ContactPerson.objects.create(organisation=money.project.sending_organisation, name="Ana Pop")
    stay = services.save_accompanying(
        stay=AccompanyingPerson(
            placement=money.placement,
            person=teacher,
            start=money.placement.start_date,
            end=money.placement.start_date + timedelta(days=6),
            reason="minors",
        )
    )
    row = selectors.project_budget(money.project).accompanying[0]
    assert row.stay == stay
    assert row.figures.by_category()["travel"] == Decimal("395.00")
    assert row.figures.by_category()["individual"] == Decimal("1296.00")  # (7 + 2) × 144
    assert teacher in money.placement.accompanying_persons.all()


def test_inclusion_support_for_fewer_opportunities_and_real_costs(money):
    money.learner.barriers.set([Barrier.objects.get(code="economic")])
    services.add_real_cost(
        assignment=money.assignment,
        reason="Adapted room",
        amount=Decimal("120.50"),
        upload=None,
        user=money.coordinator,
    )
    row = row_for(money.assignment)
    assert row.planned.by_category()["inclusion"] == Decimal("245.50")  # 125 (call 2026) + 120.50 real cost


def test_editing_the_rate_table_after_keeping_the_figures_changes_no_reported_figure(money):
    services.take_snapshot(project=money.project, user=money.coordinator)
    before = final_report_sections(money.project)
    CountryGroup.objects.filter(number=2).update(learner_per_day=Decimal("99"))
    live = row_for(money.assignment).planned.by_category()["individual"]
    assert live == Decimal("2356.20")  # 14 × 99 + 14 × 69.30: the live figures move
    assert final_report_sections(money.project) == before


def test_a_report_without_kept_figures_keeps_none_and_says_so(money):
    from grants.models import BudgetSnapshot
    from reports.final_report import report_data, report_tables

    section = final_report_sections(money.project)["budget"]
    assert section["kept"] is False
    assert "not kept" in report_tables(report_data(money.project))["budget"].title
    assert not BudgetSnapshot.objects.exists()
    CountryGroup.objects.filter(number=2).update(learner_per_day=Decimal("99"))
    assert final_report_sections(money.project)["budget"]["categories"] != section["categories"]


def test_the_final_report_has_a_budget_section(money):
    from reports.final_report import report_data, report_tables

    tables = report_tables(report_data(money.project))
    assert "budget" in tables
    travel = tables["budget"].rows[0]
    assert travel[1] == 1000.0


def test_ron_payments_are_converted_with_the_entered_rate_rounded_once():
    assert services.exchange_to_eur(Decimal("2985.00"), "RON", Decimal("4.9755")) == Decimal("599.94")
    assert services.exchange_to_eur(Decimal("100.00"), "EUR", Decimal("1")) == Decimal("100.00")


def payment_data(world, **changes):
    data = {
        "paid_on": "2027-03-01",
        "payee": "Bus company",
        "category": "travel",
        "amount": "497.70",
        "currency": "RON",
        "exchange_rate": "4.977",
        "rate_reason": "The bank's rate of the day",  # no accounting rate loaded for the month
    }
    return data | changes


def test_a_coordinator_records_a_ron_payment_with_a_receipt(money, client_for):
    data = payment_data(money, assignments=[money.assignment.pk])
    data["receipt_file"] = SimpleUploadedFile("r.pdf", RECEIPT_PDF, content_type="application/pdf")
    response = client_for(money.coordinator).post(reverse("grants:payment_create", args=[money.project.pk]), data)
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert payment.amount_eur == Decimal("100.00")
    assert payment.receipt is not None
    assert list(payment.assignments.all()) == [money.assignment]
    assert payment.history.filter(history_user=money.coordinator).exists()
    spent = selectors.project_budget(money.project).categories[0].spent
    assert spent == Decimal("100.00")


def test_an_exchange_rate_of_zero_is_refused_on_the_field(money):
    form = PaymentForm(payment_data(money, exchange_rate="0"), project=money.project)
    assert not form.is_valid()
    assert "exchange_rate" in form.errors


def test_a_payment_for_a_learner_of_another_project_is_refused_on_the_field(money):
    stranger = AssignmentFactory(participant=ParticipantFactory(project=ProjectFactory()))
    form = PaymentForm(payment_data(money, assignments=[stranger.pk]), project=money.project)
    assert not form.is_valid()
    assert "assignments" in form.errors


def test_a_receipt_that_is_not_a_pdf_or_image_is_refused_on_the_field(money, client_for):
    data = payment_data(money)
    data["receipt_file"] = SimpleUploadedFile("r.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client_for(money.coordinator).post(reverse("grants:payment_create", args=[money.project.pk]), data)
    assert response.status_code == 200
    assert "receipt_file" in response.context["form"].errors
    assert not Payment.objects.exists()


def test_staff_cannot_record_a_payment_and_mentors_cannot_read_them(money, client_for):
    url = reverse("grants:payment_create", args=[money.project.pk])
    assert client_for(money.staff).post(url, payment_data(money)).status_code == 403
    assert client_for(money.staff).get(reverse("grants:payments", args=[money.project.pk])).status_code == 200
    assert client_for(money.mentor).get(reverse("grants:payments", args=[money.project.pk])).status_code == 403
    assert client_for(money.mentor).get(reverse("grants:budget", args=[money.project.pk])).status_code == 403
    assert client_for(money.mentor).get(reverse("grants:mobility", args=[money.assignment.pk])).status_code == 403
    assert not Payment.objects.exists()


def table_data(bands, groups=(("2", "PT", "80", "144"),), **changes):
    data = {
        "call_year": "2030",
        "label": "Test",
        "standard_travel_days": "2",
        "green_travel_days": "6",
        "actions": "KA121-VET, KA122-VET",
        "organisational_support": "350",
        "organisational_support_up_to": "100",
        "inclusion_support": "100",
        "linguistic_support": "150",
        "exceptional_travel_threshold": "70",
        "exceptional_travel_share": "80",
        "preparatory_visit_persons": "3",
        "long_stay_from_day": "15",
        "long_stay_percent": "70",
        "bands-TOTAL_FORMS": str(len(bands)),
        "bands-INITIAL_FORMS": "0",
        "groups-TOTAL_FORMS": str(len(groups)),
        "groups-INITIAL_FORMS": "0",
    }
    for i, (low, high, amount) in enumerate(bands):
        data |= {f"bands-{i}-min_km": low, f"bands-{i}-max_km": high, f"bands-{i}-standard_amount": amount}
    for i, (number, countries, learner, staff) in enumerate(groups):
        data |= {
            f"groups-{i}-number": number,
            f"groups-{i}-countries": countries,
            f"groups-{i}-learner_per_day": learner,
            f"groups-{i}-accompanying_per_day": staff,
        }
    return data | changes


def post_table(client_for, world, data):
    """As the installation's administrator: the EU's rate tables are theirs to change (accounts.roles)."""
    from accounts.models import Role

    from .factories import UserFactory

    administrator = UserFactory(username="administrator", role=Role.COORDINATOR, is_superuser=True, school=False)
    return client_for(administrator).post(reverse("grants:rate_table_create"), data)


def test_the_administrator_saves_a_rate_table_from_its_form(world, client_for):
    response = post_table(client_for, world, table_data([("10", "99", "28"), ("100", "", "211")]))
    assert response.status_code == 302
    from grants.models import RateTable

    table = RateTable.objects.get(call_year=2030)
    assert [(b.min_km, b.max_km) for b in table.bands.all()] == [(10, 99), (100, None)]


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ([("10", "99", "28"), ("200", "", "211")], "A band is missing"),
        ([("10", "150", "28"), ("100", "", "211")], "overlaps"),
        ([("10", "99", "-5")], "cannot be negative"),
    ],
)
def test_a_rate_table_with_a_missing_overlapping_or_negative_band_is_refused(world, client_for, bands, message):
    response = post_table(client_for, world, table_data(bands))
    assert response.status_code == 200
    assert message in response.content.decode()
    from grants.models import RateTable

    assert not RateTable.objects.filter(call_year=2030).exists()


def test_a_country_in_two_groups_is_refused(world):
    data = table_data([("10", "", "28")], groups=(("2", "PT", "80", "144"), ("3", "PT, RO", "64", "120")))
    groups = GroupFormSet(data)
    assert RateTableForm(data).is_valid() and BandFormSet(data).is_valid()
    assert not groups.is_valid()


def test_the_export_has_one_row_per_mobility_for_the_demos_31_learners(db, tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    from placements.models import Project

    project = Project.objects.get(reference="2026-1-RO01-KA122-VET-000187412")  # the first school's
    out = tmp_path / "bm.xlsx"
    call_command("export_beneficiary_module", str(project.pk), "--out", str(out), stdout=io.StringIO())
    from openpyxl import load_workbook

    sheet = load_workbook(out).active
    names = [cell.value for cell in sheet[1]]
    rows = [dict(zip(names, row, strict=True)) for row in sheet.iter_rows(min_row=3, values_only=True)]
    learners = [row for row in rows if row["Mobility activity ID"].startswith("M-")]
    assert len(learners) == 31
    assert len({row["Mobility activity ID"] for row in learners}) == 31
    assert {row["Activity type"] for row in rows} == {"LM-SHORT-VET"}
    assert sum(1 for row in rows if row["Accompanying person"] == "YES") == 2  # a teacher for each flow
    assert sum(1 for row in learners if row["Force majeure"] == "YES") == 1  # the learner who came home early


def test_export_keeps_formula_like_names_as_text(money, tmp_path):
    from openpyxl import load_workbook

    from grants.beneficiary_module import export_xlsx

    money.learner.first_name = "=HYPERLINK(1)"
    money.learner.save()
    content, _name = export_xlsx(money.project)
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows(min_row=3) for cell in row if cell.value == "=HYPERLINK(1)"]
    assert cells and all(cell.data_type == "s" for cell in cells)


def add_learners(world, count):
    for _ in range(count):
        AssignmentFactory(
            participant=ParticipantFactory(project=world.project, qualification=world.placement.qualification),
            placement=world.placement,
            host_company=world.host,
        )


# Each with one query for the user's role in the project's school (its changes offered: roles per school).
@pytest.mark.parametrize(("url_name", "queries"), [("grants:budget", 16), ("grants:payments", 7)])
def test_budget_pages_query_count_does_not_grow_with_learners(
    money, client_for, django_assert_num_queries, url_name, queries
):
    payment = services.save_payment(
        payment=Payment(
            paid_on=money.placement.start_date,
            payee="Learners",
            category="individual",
            amount=Decimal("10"),
            currency="EUR",
            exchange_rate=Decimal("1"),
        ),
        project=money.project,
        assignments=[money.assignment],
        upload=None,
        user=money.coordinator,
    )
    client = client_for(money.coordinator)
    url = reverse(url_name, args=[money.project.pk])
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    add_learners(money, 6)
    payment.assignments.set(Assignment.objects.all())
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
