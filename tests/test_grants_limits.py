"""Issue 18's rules that had no test with a figure computed by hand: ErasmusPro's 90–365 days (item 2), the
KA122 limit of 30 participants with accompanying persons not counted (item 2), and the budget page keeping unit
costs earned by activity apart from real costs earned by spending (item 6), and the steps of a computation writing
their numbers as the reader's language does (item 5: "1,120 EUR" reads as 1.12 EUR in Romanian)."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from grants import selectors, services
from grants.models import MobilityGrant, Payment, ProjectGrant

from . import test_grants
from .access_routes_grants import a_stay
from .factories import AssignmentFactory, ParticipantFactory
from .test_grants import row_for

money = test_grants.money  # the fixtures, shared


@pytest.fixture(autouse=True)
def english_afterwards():
    """A request in Romanian leaves Romanian active in the test's thread: the tests after these start in English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def edit(client, assignment, **data):
    data = {"travel_mode": "standard", "exceptional_travel_cost": "0"} | data
    return client.post(reverse("grants:mobility_edit", args=[assignment.pk]), data)


def test_an_erasmuspro_stage_lasts_90_to_365_days_and_is_paid_70_percent_from_day_15(money, client_for):
    placement = money.placement
    placement.start_date, placement.end_date = date(2026, 9, 7), date(2027, 1, 4)  # 120 days: ErasmusPro
    placement.save()
    client = client_for(money.coordinator)
    # 7 September 2026 – 7 September 2027: 365 + 1 = 366 days of activity, one more than ErasmusPro allows
    response = edit(client, money.assignment, actual_start="2026-09-07", actual_end="2027-09-07")
    assert response.status_code == 200
    assert "366 days of activity" in response.content.decode() and "90–365 days" in response.content.decode()
    assert not MobilityGrant.objects.exists()
    # 365 days is allowed, and no warning on the budget
    assert edit(client, money.assignment, actual_start="2026-09-07", actual_end="2027-09-06").status_code == 302
    row = row_for(money.assignment)
    assert row.eligibility == []
    # The planned 120 days + 2 travel days = 122: 14 × 80 = 1,120 and 108 × 56 = 6,048; 7,168 EUR
    assert row.planned.by_category()["individual"] == Decimal("7168.00")
    # A short-term flow of the same project refuses 120 days
    other = money.other_assignment
    response = edit(client, other, actual_start="2026-09-07", actual_end="2027-01-04")
    assert "120 days of activity" in response.content.decode() and "10–89 days" in response.content.decode()


def test_thirty_learners_and_an_accompanying_teacher_are_within_a_short_term_projects_limit(money):
    for _ in range(28):  # the world has 2 learners: 30
        AssignmentFactory(
            participant=ParticipantFactory(project=money.project, qualification=money.placement.qualification),
            placement=money.placement,
            host_company=money.host,
        )
    a_stay(money)  # a teacher goes with them: 31 persons, 30 participants
    budget = selectors.project_budget(money.project)
    assert len(budget.mobilities) == 30 and len(budget.accompanying) == 1
    assert not any("participants: a short-term project" in warning for warning in budget.warnings)
    AssignmentFactory(
        participant=ParticipantFactory(project=money.project, qualification=money.placement.qualification),
        placement=money.placement,
        host_company=money.host,
    )
    warnings = selectors.project_budget(money.project).warnings
    assert any(warning.startswith("31 participants") and "at most 30" in warning for warning in warnings)


def test_unit_costs_are_earned_by_activity_and_real_costs_by_spending(money, client_for):
    ProjectGrant.objects.filter(project=money.project).update(
        awarded_travel=Decimal("1000"),
        awarded_individual=Decimal("4000"),
        awarded_organisational=Decimal("700"),
        awarded_exceptional=Decimal("200"),
    )
    services.save_payment(
        payment=Payment(
            paid_on=date(2026, 9, 10),
            payee="Consulate of Portugal",
            category="exceptional",
            amount=Decimal("80"),
            currency="EUR",
            exchange_rate=Decimal("1"),
        ),
        project=money.project,
        assignments=[money.assignment],
        upload=None,
        user=money.coordinator,
    )
    budget = selectors.project_budget(money.project)
    unit = {row.category: row for row in budget.unit_cost_categories}
    real = {row.category: row for row in budget.real_cost_categories}
    assert list(unit) == ["travel", "individual", "organisational", "linguistic"]
    assert list(real) == ["inclusion", "exceptional"]
    # Travel: 2 learners × 395 EUR earned by the stays; 1,000 awarded − 790 earned = 210 not yet earned
    assert (unit["travel"].actual, unit["travel"].remaining) == (Decimal("790.00"), Decimal("210.00"))
    # Exceptional costs: 200 awarded − 80 EUR spent (a receipt) = 120 not yet spent, whatever was earned
    assert (real["exceptional"].spent, real["exceptional"].remaining) == (Decimal("80.00"), Decimal("120.00"))
    page = client_for(money.coordinator).get(reverse("grants:budget", args=[money.project.pk])).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "Unit costs: earned by eligible activity" in text and "Real costs: earned by spending" in text
    assert re.search(r"Travel 1,000.00 790.00 790.00 0.00 210.00", text)
    assert re.search(r"Exceptional costs 200.00 0.00 0.00 80.00 120.00", text)


def test_the_steps_write_numbers_as_the_readers_language_does(money, client_for):
    with translation.override("ro"):
        row = row_for(money.assignment)
    travel, individual = (next(x for x in row.planned.lines if x.category == c) for c in ("travel", "individual"))
    assert travel.steps == "2.853 km → banda 2.000–2.999 km → 395 EUR"
    # 14 × 80 = 1.120 and 14 × 0,7 × 80 = 14 × 56 = 784; 1.904 EUR, as the amounts column writes 1.904,00
    assert individual.steps == (
        "zilele 1–14 × 80 EUR = 1.120 EUR; zilele 15–28 × 0,7 × 80 EUR (56 EUR) = 784 EUR; 1.904 EUR"
    )
    client = client_for(money.coordinator)
    page = client.get(reverse("grants:mobility", args=[money.assignment.pk]), HTTP_ACCEPT_LANGUAGE="ro")
    assert "1.120 EUR" in page.content.decode() and "1,120 EUR" not in page.content.decode()
    budget = client.get(reverse("grants:budget", args=[money.project.pk]), HTTP_ACCEPT_LANGUAGE="ro").content.decode()
    assert "2.853 km" in budget and "2.000–2.999 km" in budget and "2,000–2,999" not in budget
    assert "1.000 EUR" in budget and "1,000 EUR" not in budget  # the chart's label of the travel award
    english = client.get(reverse("grants:mobility", args=[money.assignment.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "days 1–14 × 80 EUR = 1,120 EUR; days 15–28 × 0.7 × 80 EUR (56 EUR)" in english.content.decode()


def test_a_receipts_help_is_in_the_readers_language(money, client_for):
    client = client_for(money.coordinator)
    page = client.get(reverse("grants:mobility", args=[money.assignment.pk]), HTTP_ACCEPT_LANGUAGE="ro")
    assert "PDF, JPEG sau PNG, cel mult 10 MB." in page.content.decode()
    assert "at most 10 MB" not in page.content.decode()


def test_the_reports_count_per_band_is_ordered_by_distance_in_the_readers_numbers(money):
    # The other learner's host moved to Vienna: Bacău → Vienna is about 830 km, band 500–1,999 km
    services.set_location(
        organisation_id=money.other_host.pk,
        place="Wien (AT)",
        latitude=Decimal("48.20849"),
        longitude=Decimal("16.37208"),
    )
    with translation.override("ro"):
        counts = selectors.project_budget(money.project).counts()
    # "2.000–2.999" sorts before "500–1.999" as text; by distance the 500 km band comes first
    assert [(band, count) for band, _group, count in counts] == [("500–1.999 km", 1), ("2.000–2.999 km", 1)]
