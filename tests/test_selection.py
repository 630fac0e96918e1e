"""The call and the selection: independent scoring, the ranking and its tie-break, confirming the selection all
or nothing, the reserve list, the public form, the fairness summary."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.core.files.storage import storages
from django.urls import reverse

from accounts.models import Role
from participants.models import Participant
from placements.models import Assignment
from selection import selectors, services
from selection.models import Application, Call, CommitteeMember, Criterion, Score

from .access_routes_selection import a_call
from .factories import UserFactory
from .sites import on_site


@pytest.fixture
def call(world):
    return a_call(world)


@pytest.fixture
def member_b(world, call):
    other = UserFactory(username="teacher", role=Role.STAFF)
    return CommitteeMember.objects.create(call=call, user=other)


def apply(world, call, first="Ana", last="Lingurar", fewer=False, **extra):
    return services.submit_application(
        call_id=call.pk,
        placement_id=world.placement.pk,
        first_name=first,
        last_name=last,
        date_of_birth=date(2006, 5, 1),
        gender="female",
        fewer_opportunities=fewer,
        entered_by_id=world.coordinator.pk,
        **({"qualification_id": world.placement.qualification_id} | extra),
    )


def score(member, application, value):
    criteria = selectors.scored_criteria(member.call)
    services.record_scores(member_id=member.pk, application_id=application.pk, scores={c.pk: value for c in criteria})


def staff_member(call, world):
    return CommitteeMember.objects.get(call=call, user=world.staff)


def test_a_member_sees_only_their_own_scores_until_every_member_has_scored(world, call, member_b):
    application = apply(world, call)
    score(staff_member(call, world), application, 3)
    assert list(selectors.scores_for(world.staff, call).values_list("value", flat=True)) == [3]
    assert not selectors.scores_for(member_b.user, call).exists()
    assert not selectors.scores_for(world.coordinator, call).exists()
    score(member_b, application, 1)
    assert sorted(selectors.scores_for(world.staff, call).values_list("value", flat=True)) == [1, 3]
    assert selectors.scores_for(world.coordinator, call).count() == 2


def test_the_score_page_shows_a_member_none_of_another_members_scores(world, call, member_b, client_for):
    application = apply(world, call)
    score(member_b, application, 4)
    page = client_for(world.staff).get(reverse("selection:score", args=[application.pk]))
    assert page.status_code == 200
    assert "checked" not in page.content.decode().split("<form", 1)[1].split("</form>")[0]


def test_the_call_page_shows_no_totals_before_every_score_is_in(world, call, member_b, client_for):
    application = apply(world, call)
    score(member_b, application, 4)
    page = client_for(world.coordinator).get(reverse("selection:call", args=[call.pk]))
    assert page.context["ranking"] is None
    assert page.context["progress"]["complete"] is False


def test_a_declared_conflict_removes_the_members_scores_and_excuses_them(world, call, member_b):
    application = apply(world, call)
    staff = staff_member(call, world)
    score(staff, application, 2)
    services.declare_conflict(member_id=staff.pk, application_id=application.pk, reason="A cousin")
    assert not Score.objects.filter(member=staff).exists()
    with pytest.raises(services.SelectionRefused):
        score(staff, application, 2)
    score(member_b, application, 3)
    assert selectors.all_scores_in(call)


def test_the_ranking_is_refused_until_every_score_is_in(world, call, member_b):
    application = apply(world, call)
    score(member_b, application, 3)
    with pytest.raises(services.SelectionRefused, match="Not every committee member"):
        services.decide_ranking(call_id=call.pk)


def ranked(world, call, member_b, scores, fewer=()):
    applications = [apply(world, call, first=f"L{i}", fewer=i in fewer) for i in range(len(scores))]
    for application, value in zip(applications, scores, strict=True):
        score(staff_member(call, world), application, value)
        score(member_b, application, value)
    services.decide_ranking(call_id=call.pk)
    return [Application.objects.get(pk=a.pk) for a in applications]


def test_the_ranking_fills_the_places_then_the_reserve_list(world, call, member_b):
    low, high, middle = ranked(world, call, member_b, [1, 4, 2])
    assert (high.status, high.rank) == ("selected", 1)
    assert (middle.status, middle.rank) == ("reserve", 2)
    assert (low.status, low.rank) == ("not_selected", 3)


def test_equal_totals_put_the_learner_with_fewer_opportunities_first(world, call, member_b):
    first, second = ranked(world, call, member_b, [3, 3], fewer=(1,))
    assert second.status == "selected" and first.status == "reserve"


def test_equal_totals_by_the_earlier_application_when_the_call_says_so(world, call, member_b):
    Call.objects.filter(pk=call.pk).update(tie_break=Call.TieBreak.EARLIER)
    call.refresh_from_db()
    first, second = ranked(world, call, member_b, [3, 3], fewer=(1,))
    assert first.status == "selected" and second.status == "reserve"


def test_priority_for_fewer_opportunities_is_a_weighted_criterion(world, call, member_b):
    Criterion.objects.create(call=call, name="Priority", weight=3, max_score=2, fewer_opportunities=True)
    plain, flagged = ranked(world, call, member_b, [3, 2], fewer=(1,))
    assert flagged.total == 2 * 2 + 3 * 2 and plain.total == 3 * 2
    assert flagged.status == "selected"


def test_confirm_selection_makes_participants_and_assignments(world, call, member_b):
    selected, reserve = ranked(world, call, member_b, [4, 2])
    before = Participant.objects.count()
    assert (
        services.confirm_selection(call_id=call.pk, confirmed_by_id=world.coordinator.pk, today=call.confirmable_from())
        == 1
    )
    selected.refresh_from_db()
    assert Participant.objects.count() == before + 1
    assert Assignment.objects.filter(participant=selected.participant, placement=world.placement).exists()


def test_confirm_selection_is_all_or_nothing(world, call, member_b):
    from selection.models import CallFlow

    CallFlow.objects.filter(call=call).update(places=2)
    ranked(world, call, member_b, [4, 3])
    before = (Participant.objects.count(), Assignment.objects.count())
    real_create = Assignment.objects.create
    calls = []

    def fail_on_second(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return real_create(**kwargs)

    with mock.patch.object(Assignment.objects, "create", side_effect=fail_on_second), pytest.raises(RuntimeError):
        services.confirm_selection(call_id=call.pk, confirmed_by_id=world.coordinator.pk, today=call.confirmable_from())
    assert (Participant.objects.count(), Assignment.objects.count()) == before
    assert not Application.objects.filter(participant__isnull=False).exists()
    assert Call.objects.get(pk=call.pk).confirmed_at is None


def test_the_reserve_list_fills_a_withdrawn_place_in_one_step(world, call, member_b):
    selected, reserve = ranked(world, call, member_b, [4, 2])
    services.confirm_selection(call_id=call.pk, confirmed_by_id=world.coordinator.pk, today=call.confirmable_from())
    selected.refresh_from_db()
    taken_by = services.replace_from_reserve(application_id=selected.pk, reason="Moved abroad with the family")
    assert taken_by.pk == reserve.pk and taken_by.status == "selected"
    assert Assignment.objects.get(participant=selected.participant).status == "withdrawn"
    assert Assignment.objects.filter(participant=taken_by.participant, placement=world.placement).exists()
    with pytest.raises(services.SelectionRefused, match="Nobody is left"):
        services.replace_from_reserve(application_id=taken_by.pk, reason="Ill")


def test_an_application_outside_the_age_rule_is_marked_not_eligible(world, call):
    Call.objects.filter(pk=call.pk).update(min_age=21)  # 20 at the flow's start
    application = apply(world, call)
    assert application.status == "ineligible" and "21" in application.ineligible_reason


def test_an_application_for_another_qualification_is_marked_not_eligible(world, call):
    application = apply(world, call, qualification_id=world.other_placement.qualification_id)
    assert application.status == "ineligible"


def test_the_fairness_summary_has_counts_and_no_names(world, call, member_b):
    ranked(world, call, member_b, [4, 2, 1], fewer=(0,))
    summary = selectors.fairness_summary(call)
    assert summary["fewer_opportunities"] == [
        {"key": False, "applicants": 2, "selected": 0, "reserve": 1},
        {"key": True, "applicants": 1, "selected": 1, "reserve": 0},
    ]
    assert "L0" not in str(summary)


def public_form(world, **changes):
    return {
        "placement": world.placement.pk,
        "first_name": "Ana",
        "last_name": "Ciurar",
        "date_of_birth": "2006-05-01",
        "gender": "female",
        "qualification": world.placement.qualification_id,
        "phone": "+40 745 000 111",
        "language": "ro",
        "agree": "on",
        "website": "",
    } | changes


def test_a_learner_applies_through_the_public_form(world, call, client):
    response = client.post(on_site("selection:apply", call.pk), public_form(world))
    assert response.status_code == 302
    application = Application.objects.get(last_name="Ciurar")
    assert application.entered_by is None and application.fewer_opportunities is False


def test_the_honeypot_keeps_a_robots_application_out(world, call, client):
    response = client.post(on_site("selection:apply", call.pk), public_form(world, website="http://spam"))
    assert response.status_code == 200
    assert not Application.objects.exists()


def test_the_public_form_is_rate_limited_per_address(world, call, client):
    for number in range(services.APPLICATIONS_PER_ADDRESS.limit):
        client.post(on_site("selection:apply", call.pk), public_form(world, last_name=f"Ciurar{number}"))
    response = client.post(on_site("selection:apply", call.pk), public_form(world, last_name="Extra"))
    assert response.status_code == 200 and "Too many applications" in response.content.decode()
    assert Application.objects.count() == services.APPLICATIONS_PER_ADDRESS.limit


def test_a_closed_call_takes_no_public_application(world, call, client):
    Call.objects.filter(pk=call.pk).update(closes_on=date.today() - timedelta(days=1), opens_on=date(2020, 1, 1))
    response = client.post(on_site("selection:apply", call.pk), public_form(world))
    assert response.status_code == 200
    assert not Application.objects.exists()


def test_an_unpublished_call_is_not_found(world, call, client):
    Call.objects.filter(pk=call.pk).update(published=False)
    assert client.get(on_site("selection:public_call", call.pk)).status_code == 404


def test_the_public_home_links_the_published_call(world, call, client):
    from public.models import ProjectPage  # noqa: F401  (the home page needs the project only)

    page = client.get(on_site("public:home"))
    if page.status_code == 200:
        assert on_site("selection:public_call", call.pk) in page.content.decode()


def test_the_coordinator_enters_an_application_on_a_learners_behalf(world, call, client_for):
    client = client_for(world.coordinator)
    data = public_form(world)
    data.pop("agree"), data.pop("website")
    response = client.post(reverse("selection:application_new", args=[call.pk]), data | {"fewer_opportunities": "on"})
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.entered_by == world.coordinator and application.fewer_opportunities


def test_the_fewer_opportunities_flag_is_shown_to_coordinators_only(world, call, client_for):
    application = apply(world, call, fewer=True)
    url = reverse("selection:application", args=[application.pk])
    assert "Fewer opportunities" in client_for(world.coordinator).get(url).content.decode()
    assert "Fewer opportunities" not in client_for(world.staff).get(url).content.decode()


def test_a_member_signs_the_minutes_after_the_ranking(world, call, member_b, client_for):
    ranked(world, call, member_b, [3])
    client_for(world.staff).post(reverse("selection:sign", args=[call.pk]))
    assert staff_member(call, world).signed_minutes_at is not None


@pytest.mark.parametrize("size", [2, 8])
def test_the_application_list_makes_a_fixed_number_of_queries(world, call, client_for, django_assert_num_queries, size):
    for number in range(size):
        apply(world, call, first=f"A{number}")
    client = client_for(world.staff)
    with django_assert_num_queries(6):
        response = client.get(reverse("selection:applications", args=[call.pk]))
    assert response.status_code == 200 and f"A{size - 1}" in response.content.decode()


@pytest.mark.parametrize("size", [2, 8])
def test_the_call_page_makes_a_fixed_number_of_queries(
    world, call, member_b, client_for, django_assert_num_queries, size
):
    applications = [apply(world, call, first=f"A{number}") for number in range(size)]
    for application in applications:
        score(staff_member(call, world), application, 3)
        score(member_b, application, 2)
    services.decide_ranking(call_id=call.pk)
    client = client_for(world.coordinator)
    # One of them asks the user's role in the call's school (its changes offered: roles per school).
    with django_assert_num_queries(17):
        response = client.get(reverse("selection:call", args=[call.pk]))
    assert response.status_code == 200 and f"A{size - 1}" in response.content.decode()


def test_the_decision_letter_is_in_the_applicants_language_with_the_appeal_route(world, call, member_b):
    from documents.models import DocumentJob
    from selection.documents import render_decision_letter

    from .tools import pdf_text

    selected, reserve = ranked(world, call, member_b, [4, 2])
    Application.objects.filter(pk=reserve.pk).update(language="en")
    job = DocumentJob(kind="selection_decision_letter", params={"application": reserve.pk})
    pdf, filename = render_decision_letter(job)
    text = " ".join(pdf_text(pdf).split())
    assert "You are on the reserve list." in text
    assert "Write to the director." in text
    assert filename.startswith(f"decision-{reserve.pk}-")


def test_a_decision_letter_is_refused_before_the_ranking(world, call):
    from documents.models import DocumentJob
    from documents.registry import NotIssuable
    from selection.documents import render_decision_letter

    application = apply(world, call)
    with pytest.raises(NotIssuable):
        render_decision_letter(DocumentJob(kind="selection_decision_letter", params={"application": application.pk}))


def test_an_appeal_is_recorded_and_decided_once(world, call, member_b):
    selected, reserve = ranked(world, call, member_b, [4, 2])
    appeal = services.record_appeal(
        application_id=reserve.pk,
        received_on=date(2026, 10, 6),
        grounds="Short interview",
        recorded_by_id=world.coordinator.pk,
    )
    services.decide_appeal(appeal_id=appeal.pk, outcome="rejected", decision="Scores checked.", decided_on=date.today())
    with pytest.raises(services.SelectionRefused, match="already decided"):
        services.decide_appeal(appeal_id=appeal.pk, outcome="upheld", decision="Again", decided_on=date.today())


def test_no_appeal_before_a_decision(world, call):
    application = apply(world, call)
    with pytest.raises(services.SelectionRefused):
        services.record_appeal(
            application_id=application.pk, received_on=date.today(), grounds="x", recorded_by_id=world.coordinator.pk
        )


def test_the_office_asks_for_a_decision_letter_and_the_worker_makes_it(world, call, member_b, client_for):
    from documents import jobs
    from documents.models import DocumentJob

    selected, reserve = ranked(world, call, member_b, [4, 2])
    response = client_for(world.staff).post(reverse("documents:request", args=["decision-letter", selected.pk]))
    assert response.status_code == 302
    job = DocumentJob.objects.get()
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.DONE, job.error_detail


def test_the_minutes_list_the_ranking_conflicts_and_signatures(world, call, member_b):
    from documents.models import DocumentJob
    from selection.documents import render_minutes

    from .tools import pdf_text

    first, second = (apply(world, call, first=name) for name in ("Ana", "Bianca"))
    services.declare_conflict(member_id=member_b.pk, application_id=first.pk, reason="Her aunt")
    score(staff_member(call, world), first, 4)
    score(staff_member(call, world), second, 1)
    score(member_b, second, 1)
    services.decide_ranking(call_id=call.pk)
    services.sign_minutes(member_id=member_b.pk)
    text = " ".join(pdf_text(render_minutes(DocumentJob(params={"call": call.pk}))[0]).split())
    assert "Her aunt" in text and "Lingurar Ana" in text and "Selected" in text


def test_unselected_applicants_are_erased_after_the_appeal_period(world, call, member_b):
    selected, reserve, rejected = ranked(world, call, member_b, [4, 2, 1])
    services.confirm_selection(call_id=call.pk, confirmed_by_id=world.coordinator.pk, today=call.confirmable_from())
    with pytest.raises(services.SelectionRefused, match="appeal period"):
        services.erase_unselected(call_id=call.pk, today=call.appeals_until)
    after = call.appeals_until + timedelta(days=1)
    assert services.erase_unselected(call_id=call.pk, today=after) == 1  # the flow has not started: reserve stays
    rejected.refresh_from_db()
    assert rejected.first_name == "Erased" and rejected.phone == "" and rejected.gender == "female"
    assert not rejected.history.filter(first_name="L2").exists()
    assert Application.objects.get(pk=reserve.pk).first_name == "L1"
    assert Application.objects.get(pk=selected.pk).first_name == "L0"
    assert selectors.fairness_summary(call)["gender"][0]["applicants"] == 3


def test_erasing_waits_for_every_appeal(world, call, member_b):
    selected, rejected = ranked(world, call, member_b, [4, 1])
    services.record_appeal(
        application_id=rejected.pk, received_on=date.today(), grounds="x", recorded_by_id=world.coordinator.pk
    )
    with pytest.raises(services.SelectionRefused, match="appeal"):
        services.erase_unselected(call_id=call.pk, today=call.appeals_until + timedelta(days=1))


def test_a_call_offers_only_its_own_projects_flows(world, call, client_for):
    from .factories import PlacementFactory

    elsewhere = PlacementFactory(title="Another project's flow")
    page = client_for(world.coordinator).get(reverse("selection:flows", args=[call.pk]))
    assert world.placement.title in page.content.decode()
    assert elsewhere.title not in page.content.decode()


def test_all_decision_letters_of_a_call_come_as_one_pdf_each_in_its_language(world, call, member_b, client_for):
    from documents import jobs
    from documents.models import DocumentJob

    from .tools import pdf_text

    selected, reserve, rejected = ranked(world, call, member_b, [4, 2, 1])
    Application.objects.filter(pk=reserve.pk).update(language="en")
    page = client_for(world.coordinator).get(reverse("selection:call", args=[call.pk])).content.decode()
    assert reverse("documents:request", args=["decision-letters", call.pk]) in page
    assert (
        client_for(world.staff).post(reverse("documents:request", args=["decision-letters", call.pk])).status_code
        == 403
    )
    response = client_for(world.coordinator).post(reverse("documents:request", args=["decision-letters", call.pk]))
    assert response.status_code == 302
    job = DocumentJob.objects.get()
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.DONE, job.error_detail
    text = " ".join(pdf_text(storages["private"].open(job.file).read()).split())
    assert text.count("Write to the director.") == 3
    assert "You are on the reserve list." in text  # the English letter
    assert "L0" in text and "L1" in text and "L2" in text


def test_the_decision_letters_of_one_flow_leave_the_other_flows_out(world, call, member_b, client_for):
    from documents import jobs
    from documents.models import DocumentJob

    from .factories import PlacementFactory
    from .tools import pdf_text

    selected, reserve = ranked(world, call, member_b, [4, 2])
    other = PlacementFactory(project=call.project, title="Second flow")
    flow = call.flows.get()
    call.flows.create(placement=other, places=1)
    Application.objects.filter(pk=reserve.pk).update(placement=other)
    client_for(world.coordinator).post(reverse("documents:request", args=["decision-letters-flow", flow.pk]))
    job = DocumentJob.objects.get()
    jobs.run_job(job.pk)
    job.refresh_from_db()
    text = " ".join(pdf_text(storages["private"].open(job.file).read()).split())
    assert "L0" in text and "L1" not in text


def test_no_batch_of_decision_letters_before_the_ranking(world, call):
    from documents.models import DocumentJob
    from documents.registry import NotIssuable
    from selection.documents import render_decision_letters

    apply(world, call)
    with pytest.raises(NotIssuable):
        render_decision_letters(DocumentJob(kind="selection_decision_letters", params={"call": call.pk}))


def frozen(monkeypatch, day):
    from datetime import datetime

    from django.utils import timezone

    moment = timezone.make_aware(datetime(day.year, day.month, day.day, 3, 0))
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_the_daily_retention_task_erases_the_unselected_30_days_after_the_appeal_period(
    world, call, member_b, monkeypatch, django_capture_on_commit_callbacks
):
    from documents.models import DocumentJob
    from privacy.tasks import apply_retention_rules

    selected, reserve, rejected = ranked(world, call, member_b, [4, 2, 1])
    services.confirm_selection(call_id=call.pk, confirmed_by_id=world.coordinator.pk, today=call.confirmable_from())
    letter = DocumentJob.objects.create(
        kind="selection_decision_letter",
        params={"application": rejected.pk},
        file="documents/x.pdf",
        title="L",
        requested_by=world.coordinator,
    )
    before = selectors.fairness_summary(call)
    frozen(monkeypatch, call.appeals_until + timedelta(days=30))
    assert apply_retention_rules()["applications"] == 0
    assert Application.objects.get(pk=rejected.pk).erased_at is None
    frozen(monkeypatch, call.appeals_until + timedelta(days=31))
    with django_capture_on_commit_callbacks(execute=True):
        assert apply_retention_rules()["applications"] == 1
    rejected.refresh_from_db()
    assert rejected.first_name == "Erased" and rejected.erased_at is not None
    assert Application.objects.get(pk=reserve.pk).first_name == "L1"  # the flow has not started yet
    assert selectors.fairness_summary(call) == before  # the counts stay
    letter.refresh_from_db()
    assert letter.file == ""
    assert apply_retention_rules()["applications"] == 0  # the next day: nothing more to do


def test_the_delay_is_a_setting_and_a_pending_appeal_holds_the_call_back(world, call, member_b, monkeypatch, settings):
    from privacy.tasks import apply_retention_rules

    settings.SELECTION_ERASE_AFTER_DAYS = 5
    selected, reserve, rejected = ranked(world, call, member_b, [4, 2, 1])
    appeal = services.record_appeal(
        application_id=rejected.pk, received_on=date.today(), grounds="x", recorded_by_id=world.coordinator.pk
    )
    frozen(monkeypatch, call.appeals_until + timedelta(days=6))
    assert apply_retention_rules()["applications"] == 0
    services.decide_appeal(appeal_id=appeal.pk, outcome="rejected", decision="Checked.", decided_on=date.today())
    assert apply_retention_rules()["applications"] == 1


def test_the_selection_cannot_be_confirmed_while_applications_are_open(world, call, member_b, client_for):
    ranked(world, call, member_b, [4, 2])
    with pytest.raises(services.SelectionRefused, match="can be confirmed from"):
        services.confirm_selection(call_id=call.pk, confirmed_by_id=world.coordinator.pk, today=call.closes_on)
    client = client_for(world.coordinator)
    page = client.get(reverse("selection:call", args=[call.pk])).content.decode()
    assert 'disabled aria-describedby="confirm-refusal"' in page
    assert call.confirmable_from().strftime("%Y") in page
    client.post(reverse("selection:confirm", args=[call.pk]))
    assert Call.objects.get(pk=call.pk).confirmed_at is None
    assert not Application.objects.filter(participant__isnull=False).exists()


def test_confirming_asks_first_and_says_what_it_will_do(world, call, member_b, client_for):
    ranked(world, call, member_b, [4, 2])
    Call.objects.filter(pk=call.pk).update(
        opens_on=date.today() - timedelta(days=20), closes_on=date.today() - timedelta(days=1)
    )
    client = client_for(world.coordinator)
    call_page = client.get(reverse("selection:call", args=[call.pk])).content.decode()
    assert f'href="{reverse("selection:confirm", args=[call.pk])}"' in call_page
    page = client.get(reverse("selection:confirm", args=[call.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "cannot be undone" in text and world.placement.title in text and "reserve list" in text
    assert Call.objects.get(pk=call.pk).confirmed_at is None  # opening the page changes nothing
    response = client.post(reverse("selection:confirm", args=[call.pk]))
    assert response.status_code == 302
    assert Call.objects.get(pk=call.pk).confirmed_at is not None


def test_a_ranked_call_closes_its_public_form_even_within_its_dates(world, call, member_b, client):
    assert "Apply now" in client.get(on_site("selection:public_call", call.pk)).content.decode()
    ranked(world, call, member_b, [4])
    assert "Apply now" not in client.get(on_site("selection:public_call", call.pk)).content.decode()
    response = client.post(on_site("selection:apply", call.pk), public_form(world))
    assert response.status_code == 200
    assert "Applications are not open at the moment." in response.content.decode()
    assert Application.objects.count() == 1
