"""The Guide's rules for the money, each with a figure computed by hand: the shipped rate tables, the 70 % from
day 15, the 100th participant, expensive travel, real costs at 100 %, preparatory visits, the limits of a
mobility, the award and the agreement's finance, a missing rate refused, and a new call year started from the
previous one."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from grants import calculator, selectors, services
from grants.calculator import Rates
from grants.models import AgencyPayment, CountryGroup, MobilityGrant, ProjectGrant, RateTable, RealCost

from . import test_grants
from .factories import AssignmentFactory, ParticipantFactory, ProjectFactory
from .test_grants import row_for

money = test_grants.money  # the fixtures, shared


def rates_of(year, **rates):
    table = RateTable.objects.get(call_year=year)
    for name, value in rates.items():
        setattr(table, name, value)
    table.save()
    CountryGroup.objects.filter(table=table, number=2).update(
        learner_per_day=Decimal("80"), accompanying_per_day=Decimal("144")
    )
    return Rates(selectors.rate_table_for(year))


def learner(rates, **changes):
    facts = {
        "km": 1000,
        "mode": "standard",
        "declared_travel_days": None,
        "country": "PT",
        "start": date(2026, 9, 7),
        "end": date(2026, 10, 2),  # 26 days
        "fewer_opportunities": False,
    }
    return calculator.learner(rates, **(facts | changes))


# The shipped tables


def test_every_call_year_from_2021_to_2026_has_a_table_with_its_sources(db):
    tables = {table.call_year: table for table in RateTable.objects.prefetch_related("bands", "groups")}
    assert sorted(tables) == [2021, 2022, 2023, 2024, 2025, 2026]
    for table in tables.values():
        assert (table.long_stay_from_day, table.long_stay_percent) == (15, 70)
        assert (table.exceptional_travel_threshold, table.exceptional_travel_share) == (70, 80)
        assert (table.standard_travel_days, table.green_travel_days) == (2, 6)
        assert table.source and all(band.source for band in table.bands.all())
        assert [group.learner_per_day for group in table.groups.all()] == [None, None, None]
        assert all("National Agency" in group.source for group in table.groups.all())
    assert [str(b.standard_amount) for b in tables[2023].bands.all()] == [
        "23.00", "180.00", "275.00", "360.00", "530.00", "820.00", "1500.00"
    ]  # fmt: skip
    assert [str(b.standard_amount) for b in tables[2024].bands.all()] == [
        "28.00", "211.00", "309.00", "395.00", "580.00", "1188.00", "1735.00"
    ]  # fmt: skip
    assert tables[2023].inclusion_support == Decimal("100.00")
    assert tables[2024].inclusion_support == Decimal("125.00")
    assert (tables[2021].organisational_support, tables[2021].organisational_support_beyond) == (350, 200)
    assert tables[2025].organisational_support is None  # no source read here: to be entered


# Individual support: 70 % from day 15


def test_the_daily_rate_drops_to_70_percent_from_day_15_travel_days_counted(db):
    rates = rates_of(2021)
    figures = learner(rates)
    line = next(line for line in figures.lines if line.category == "individual")
    assert figures.days == 28  # 26 + 2 travel days
    assert line.amount == Decimal("1904.00")  # 14 × 80 + 14 × 56
    assert "days 1–14 × 80 EUR" in line.steps and "days 15–28 × 0.7 × 80 EUR (56 EUR)" in line.steps


def test_a_stay_of_14_days_is_paid_at_the_full_rate(db):
    rates = rates_of(2021)
    figures = learner(rates, end=date(2026, 9, 18))  # 12 days + 2 travel days
    assert figures.by_category()["individual"] == Decimal("1120.00")  # 14 × 80


# Organisational support and the 100th participant


def test_organisational_support_pays_less_from_the_101st_participant(db):
    rates = rates_of(2021)
    assert learner(rates, participant_number=100).by_category()["organisational"] == Decimal("350.00")
    assert learner(rates, participant_number=101).by_category()["organisational"] == Decimal("200.00")


# Exceptional costs


def test_a_1000_eur_ticket_replaces_the_band_amount_by_80_percent_of_it(db):
    rates = rates_of(2021)  # 1,000 km: band 500–1,999, 275 EUR
    figures = learner(rates, exceptional_travel_cost=Decimal("1000"), exceptional_travel_justification="Islands")
    by = figures.by_category()
    assert by["travel"] == Decimal("0.00")  # 275 < 70 % of 1,000 = 700: replaced
    assert by["exceptional"] == Decimal("800.00")  # 80 % of 1,000
    line = next(line for line in figures.lines if line.category == "exceptional")
    assert "275 EUR < 70 % of the real cost 1,000 EUR (700 EUR)" in line.steps


def test_a_350_eur_ticket_keeps_the_standard_amount(db):
    rates = rates_of(2021)
    figures = learner(rates, exceptional_travel_cost=Decimal("350"), exceptional_travel_justification="Late")
    by = figures.by_category()
    assert by["travel"] == Decimal("275.00")  # 275 ≥ 70 % of 350 = 245
    assert by["exceptional"] == Decimal("0.00")
    assert any("245 EUR" in note for note in figures.notes)


def test_expensive_travel_without_a_justification_is_refused_by_the_form(money, client_for):
    response = client_for(money.coordinator).post(
        reverse("grants:mobility_edit", args=[money.assignment.pk]),
        {"travel_mode": "standard", "exceptional_travel_cost": "1000"},
    )
    assert response.status_code == 200
    assert "Say why the travel was expensive" in response.content.decode()
    assert not MobilityGrant.objects.exists()


def test_a_visa_is_paid_at_100_percent_as_an_exceptional_cost(money):
    services.add_real_cost(
        assignment=money.assignment,
        reason="Schengen visa",
        amount=Decimal("80.00"),
        upload=None,
        user=money.coordinator,
        kind=RealCost.Kind.VISA,
    )
    by = row_for(money.assignment).planned.by_category()
    assert by["exceptional"] == Decimal("80.00")
    assert by["inclusion"] == Decimal("0.00")


def test_a_preparatory_visit_pays_at_most_three_persons(db):
    rates = rates_of(2021, preparatory_visit=Decimal("575"))
    figures = calculator.preparatory_visit(rates, 4)
    assert figures.total == Decimal("1725.00")  # 3 × 575, not 4
    assert figures.warnings


# A missing rate is never a figure


def test_the_budget_refuses_a_grant_from_an_empty_daily_rate_and_says_where_to_enter_it(money, client_for):
    ProjectGrant.objects.filter(project=money.project).update(call_year=2024)  # shipped, daily rates empty
    page = client_for(money.coordinator).get(reverse("grants:budget", args=[money.project.pk])).content.decode()
    table = RateTable.objects.get(call_year=2024)
    assert "The grant is not shown" in page
    assert "Group 2: learners, per day" in page
    assert reverse("grants:rate_table_edit", args=[table.pk]) in page
    assert "Unit costs" not in page  # no category figures at all
    budget = selectors.project_budget(money.project)
    assert "Group 2: learners, per day" in budget.missing


def test_the_learners_page_refuses_too(money, client_for):
    ProjectGrant.objects.filter(project=money.project).update(call_year=2024)
    page = client_for(money.staff).get(reverse("grants:mobility", args=[money.assignment.pk])).content.decode()
    assert "The grant is not shown" in page
    assert "1,904" not in page


# Limits of a mobility


def edit(client, assignment, **data):
    data = {"travel_mode": "standard", "exceptional_travel_cost": "0"} | data
    return client.post(reverse("grants:mobility_edit", args=[assignment.pk]), data)


def test_a_five_year_stage_is_a_form_error_never_a_figure(money, client_for):
    client = client_for(money.coordinator)
    response = edit(client, money.assignment, actual_start="2026-09-07", actual_end="2028-02-20")
    assert response.status_code == 200
    assert "532 days of activity: a short-term VET mobility lasts 10–89 days" in response.content.decode()
    assert not MobilityGrant.objects.exists()


def test_a_one_day_stage_and_a_date_outside_the_project_are_refused(money, client_for):
    client = client_for(money.coordinator)
    one_day = edit(client, money.assignment, actual_start="2026-09-07", actual_end="2026-09-07")
    assert "1 days of activity" in one_day.content.decode()
    outside = edit(client, money.assignment, actual_start="2026-08-20", actual_end="2026-09-20")
    assert "The project runs from" in outside.content.decode()
    assert not MobilityGrant.objects.exists()


def test_an_early_return_needs_to_say_whether_it_was_force_majeure(money, client_for):
    money.assignment.status = "withdrawn"
    money.assignment.withdrawal_reason = "Family emergency"
    money.assignment.save()
    day = money.placement.start_date + timedelta(days=9)
    client = client_for(money.coordinator)
    response = edit(client, money.assignment, withdrawn_on=day.isoformat())
    assert "Say whether the early return was force majeure" in response.content.decode()
    saved = edit(client, money.assignment, withdrawn_on=day.isoformat(), force_majeure="no")
    assert saved.status_code == 302, saved.context["form"].errors
    assert MobilityGrant.objects.get().force_majeure is False
    warnings = selectors.project_budget(money.project).warnings
    assert any("without force majeure" in warning and "at risk" in warning for warning in warnings)


def test_dates_outside_the_project_are_a_warning_on_the_budget(money):
    MobilityGrant.objects.create(
        assignment=money.assignment, actual_start=date(2028, 2, 1), actual_end=date(2028, 3, 10)
    )
    warnings = selectors.project_budget(money.project).warnings
    assert any("outside the project" in warning for warning in warnings)
    # The dates are written once per language (selectors._day caches them): each language its own way.
    with translation.override("ro"):
        romanian = [w for w in selectors.project_budget(money.project).warnings if "1 februarie 2028" in w]
    english = [w for w in selectors.project_budget(money.project).warnings if "1 February 2028" in w]
    assert romanian and english and romanian != english


def test_a_short_term_project_of_31_participants_is_warned_accompanying_persons_not_counted(money):
    for _ in range(29):  # the world has 2 learners
        AssignmentFactory(
            participant=ParticipantFactory(project=money.project, qualification=money.placement.qualification),
            placement=money.placement,
            host_company=money.host,
        )
    warnings = selectors.project_budget(money.project).warnings
    assert any("31 participants" in warning and "at most 30" in warning for warning in warnings)


# The award and the agreement's finance


def test_before_the_award_is_typed_the_page_asks_for_it_and_compares_nothing(money, client_for):
    ProjectGrant.objects.filter(project=money.project).update(awarded_travel=0)
    page = client_for(money.coordinator).get(reverse("grants:budget", args=[money.project.pk])).content.decode()
    assert "The grant awarded is not typed yet" in page
    assert "exceeds" not in page


def test_money_moved_beyond_the_agreements_limit_is_named(money):
    rates_of(2026, transfer_limit_percent=10)
    # travel: 2 learners × 395 = 790 planned against 500 awarded: 290 moved in, more than 10 % of 500 = 50
    ProjectGrant.objects.filter(project=money.project).update(
        awarded_travel=500, awarded_individual=10000, awarded_organisational=10000, awarded_inclusion=1000
    )
    warnings = selectors.project_budget(money.project).warnings
    assert any("Travel" in w and "290 EUR" in w and "10 %" in w and "50 EUR" in w for w in warnings)


def test_the_balance_is_what_is_due_minus_what_the_national_agency_paid(money, client_for):
    grant = ProjectGrant.objects.get(project=money.project)
    grant.max_grant, grant.prefinancing_percent = Decimal("3000"), 80
    grant.save()
    AgencyPayment.objects.create(grant=grant, received_on=date(2026, 9, 20), kind="prefinancing", amount=2400)
    budget = selectors.project_budget(money.project)
    assert budget.prefinancing == Decimal("2400.00")  # 80 % of 3,000
    assert budget.received == Decimal("2400.00")
    # Each learner earns 395 travel + 1,904 individual + 350 organisational = 2,649; two learners: 5,298,
    # capped at the maximum grant of 3,000; 3,000 - 2,400 received = 600 still due.
    assert budget.earned == Decimal("5298.00")
    assert budget.due == Decimal("3000.00")
    assert budget.balance == Decimal("600.00")
    page = client_for(money.staff).get(reverse("grants:budget", args=[money.project.pk])).content.decode()
    assert "Balance still due" in page and "600.00" in page


def test_the_grant_form_takes_the_agreement_number_from_the_project(money, client_for):
    page = client_for(money.coordinator).get(reverse("grants:grant_edit", args=[money.project.pk])).content.decode()
    assert 'name="agreement_reference"' not in page
    assert money.project.reference in page


# A new call year


def test_a_2027_project_is_offered_the_2027_table_made_from_the_2026_one(money, client_for):
    ProjectGrant.objects.filter(project=money.project).update(call_year=2027)
    client = client_for(admin_of(money))
    page = client.get(reverse("grants:budget", args=[money.project.pk])).content.decode()
    previous = RateTable.objects.get(call_year=2026)
    link = f"{reverse('grants:rate_table_create')}?from={previous.pk}&amp;year=2027"
    assert link in page
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert 'name="call_year" value="2027"' in form
    assert 'value="1735.00"' in form  # the 2026 bands, to be corrected
    assert 'name="bands-TOTAL_FORMS" value="8"' in form


def test_a_schools_coordinator_is_sent_to_the_administrator_for_a_missing_table(money, client_for):
    ProjectGrant.objects.filter(project=money.project).update(call_year=2027)
    page = client_for(money.coordinator).get(reverse("grants:budget", args=[money.project.pk])).content.decode()
    assert "ask the installation" in page and reverse("grants:rate_table_create") not in page


def test_a_new_empty_table_offers_rows_for_all_its_bands_at_once(money, client_for):
    form = client_for(admin_of(money)).get(reverse("grants:rate_table_create")).content.decode()
    assert 'name="bands-TOTAL_FORMS" value="8"' in form
    assert 'name="groups-TOTAL_FORMS" value="3"' in form


def test_a_distance_no_band_covers_is_a_warning_not_a_silent_zero(db):
    rates = rates_of(2021)
    rates.bands = [band for band in rates.bands if band.min_km != 500]
    figures = learner(rates)
    assert figures.by_category()["travel"] == Decimal("0.00")
    assert any("No distance band" in warning and "1,000 km" in warning for warning in figures.warnings)


# Speed: the same number of queries for 2 and 12 learners, with the figures on the page


@pytest.mark.parametrize("extra", [10])
def test_the_budget_page_reads_in_a_fixed_number_of_queries(money, client_for, django_assert_num_queries, extra):
    client = client_for(money.coordinator)
    url = reverse("grants:budget", args=[money.project.pk])
    with django_assert_num_queries(16) as first:  # 14 + the preparatory visits + the role in its school
        response = client.get(url)
    assert response.status_code == 200
    assert "Unit costs" in response.content.decode() and money.learner.last_name in response.content.decode()
    for _ in range(extra):
        AssignmentFactory(
            participant=ParticipantFactory(project=money.project, qualification=money.placement.qualification),
            placement=money.placement,
            host_company=money.host,
        )
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('href="/grants/mobilities/') >= 12


def test_the_demos_2025_and_2026_tables_compute_with_example_figures(db):
    from grants.demo import load_rate_table

    for year in (2025, 2026):
        table = load_rate_table(year)
        assert table.is_example and "example figures, not your National Agency's" in table.label
        assert all(group.learner_per_day for group in table.groups.all())
    project = ProjectFactory(reference="2025-1-RO01-KA122-VET-000000001", start_date=date(2025, 9, 1))
    assert selectors.call_year(project) == 2025


# No anonymisation that breaks the accounts


def test_a_learner_cannot_be_anonymised_before_the_final_report_is_accepted(money, client_for):
    from participants.models import Participant
    from placements.models import Assignment
    from privacy import services as privacy

    Assignment.objects.filter(participant=money.learner).update(status=Assignment.Status.COMPLETED)
    Participant.objects.filter(pk=money.learner.pk).update(consent_data_processing_withdrawn_on=date(2026, 10, 1))
    learner = Participant.objects.get(pk=money.learner.pk)
    client = client_for(money.coordinator)
    url = reverse("privacy:anonymise", args=[learner.pk])
    page = client.get(url).content.decode()
    assert "has not accepted yet" in page and "29 February 2028" in page  # why, and the project's end
    assert client.post(url, {"confirm": "on", "reason": "Asked to be forgotten"}).status_code == 400
    assert not Participant.objects.get(pk=learner.pk).is_anonymised
    ProjectGrant.objects.filter(project=money.project).update(final_report_accepted_on=date(2028, 5, 10))
    refusal, _early = privacy.anonymisation_refusal(learner)
    assert refusal is None


def test_the_learners_page_says_payment_records_are_kept_for_the_retention_period(money, client_for):
    from grants.models import Payment

    services.save_payment(
        payment=Payment(
            paid_on=date(2026, 9, 10),
            payee="Ștefan Țurcanu",
            category="individual",
            amount=Decimal("100"),
            currency="EUR",
            exchange_rate=Decimal("1"),
        ),
        project=money.project,
        assignments=[money.assignment],
        upload=None,
        user=money.coordinator,
    )
    url = reverse("participants:detail", args=[money.learner.pk])
    page = client_for(money.coordinator).get(url).content.decode()
    assert "One payment record names this learner" in page and "until 28 February 2033" in page  # 29 Feb 2028 + 5 years
    assert "payment record" not in client_for(money.mentor).get(url).content.decode()


def test_an_accompanying_person_outside_the_project_is_refused(money, client_for):
    from placements.models import ContactPerson

    teacher = ContactPerson.objects.create(organisation=money.project.sending_organisation, name="Ana Pop")
    response = client_for(money.coordinator).post(
        reverse("grants:accompanying_create", args=[money.placement.pk]),
        {
            "person": teacher.pk,
            "start": "2029-01-01",
            "end": "2029-01-07",
            "reason": "minors",
            "travel_mode": "standard",
        },
    )
    assert response.status_code == 200
    assert "The project runs from" in response.content.decode()


def test_the_grant_form_saves_the_agreement_and_the_national_agencys_payments_together(money, client_for):
    data = {
        "call_year": "2026",
        "max_grant": "3000",
        "prefinancing_percent": "80",
        "prefinancing_due_on": "2026-09-30",
        "awarded_travel": "1000",
        "awarded_individual": "2000",
        "awarded_organisational": "0",
        "awarded_inclusion": "0",
        "awarded_linguistic": "0",
        "awarded_exceptional": "0",
        "agency_payments-TOTAL_FORMS": "2",
        "agency_payments-INITIAL_FORMS": "0",
        "agency_payments-0-received_on": "2026-10-01",
        "agency_payments-0-kind": "prefinancing",
        "agency_payments-0-amount": "2400",
    }
    client = client_for(money.coordinator)
    url = reverse("grants:grant_edit", args=[money.project.pk])
    too_much = client.post(url, data | {"awarded_individual": "2500"})  # 1,000 + 2,500 > 3,000
    assert "more than the maximum grant" in too_much.content.decode()
    assert not AgencyPayment.objects.exists()
    assert client.post(url, data).status_code == 302
    assert AgencyPayment.objects.get().amount == Decimal("2400.00")
    assert selectors.project_budget(money.project).received == Decimal("2400.00")


def admin_of(world):
    """The installation's administrator: rate tables are a shared catalogue (accounts.roles.may_change_catalogues)."""
    from accounts.models import User

    admin = User.objects.filter(username="installation_admin").first()
    return admin or User.objects.create_superuser("installation_admin", "it@example.org", "a-long-test-password")


def test_a_stage_not_ended_yet_is_counted_apart_and_the_balance_says_it_is_for_the_end(money, client_for, monkeypatch):
    """The activity earns a unit cost when the stage ends: until then the balance is what the end brings if the
    stage goes as entered, and the page says how much of the earned figure that is."""
    from datetime import datetime

    from django.utils import timezone

    grant = ProjectGrant.objects.get(project=money.project)
    grant.max_grant, grant.prefinancing_percent = Decimal("10000"), 80
    grant.save()
    placement = money.placement
    url = reverse("grants:budget", args=[money.project.pk])
    # the day before the flow's last day: both learners' 2,649 EUR are still to come
    before_end = placement.end_date - timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: timezone.make_aware(datetime.combine(before_end, datetime.min.time())))
    budget = selectors.project_budget(money.project)
    assert budget.earned == Decimal("5298.00")
    assert budget.to_come == Decimal("5298.00")
    page = client_for(money.staff).get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Of which for stages not ended yet" in text and "5,298.00" in text
    assert "(at the end, if the stages go as entered)" in text
    # the flow's last day is over: nothing is to come, and the page says nothing of it
    after_end = placement.end_date + timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: timezone.make_aware(datetime.combine(after_end, datetime.min.time())))
    assert selectors.project_budget(money.project).to_come == Decimal("0")
    text = client_for(money.staff).get(url).content.decode()
    assert "Of which for stages not ended yet" not in text and "if the stages go as entered" not in text
