"""Competency assessment: the framework, the scale, rounds (draft, submit, lock, reopen), progress."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from assessments import charts, services
from assessments.demo import FRAMEWORKS, load_frameworks
from assessments.models import AssessmentRound, Outcome, OutcomeRating, RoundReopening, ScaleLevel, Unit
from placements.models import Assignment, Qualification

from .factories import AssignmentFactory, ParticipantFactory, UserFactory

BASELINE, FINAL = AssessmentRound.Kind.BASELINE, AssessmentRound.Kind.FINAL


def make_framework(qualification, units=4, per_unit=3):
    """`units` units of `per_unit` outcomes each; returns the outcomes in order."""
    kinds = list(Outcome.Kind)
    outcomes = []
    for u in range(1, units + 1):
        unit = Unit.objects.create(qualification=qualification, title=f"Unit {u}", position=u)
        outcomes += Outcome.objects.bulk_create(
            Outcome(unit=unit, kind=kinds[o % 3], text=f"Outcome {u}.{o}", position=o) for o in range(1, per_unit + 1)
        )
    return outcomes


@pytest.fixture
def levels(db):
    return {level.code: level for level in ScaleLevel.objects.all()}


@pytest.fixture
def outcomes(world):
    return make_framework(world.placement.qualification)


def round_url(assignment, kind=BASELINE):
    return reverse("assessments:round", args=[assignment.pk, kind])


def form_data(rows, action="save"):
    """rows: {outcome: (level or None, comment)}"""
    data = {"action": action}
    for outcome, (level, comment) in rows.items():
        if level is not None:
            data[f"level-{outcome.pk}"] = str(level.pk)
        data[f"comment-{outcome.pk}"] = comment
    return data


def all_rated(outcomes, level, comment=""):
    return {outcome: (level, comment) for outcome in outcomes}


def rate(assignment, kind, outcomes, level, *, user, submit=True, comment="seen"):
    ratings = {outcome.pk: (level.pk, comment) for outcome in outcomes}
    return services.save_round(assignment, kind, ratings, user=user, submit=submit)


# The scale and the framework


def test_scale_is_loaded_by_the_migration_with_not_observed(levels):
    assert [(lv.points, lv.label) for lv in ScaleLevel.objects.order_by("position")] == [
        (1, "Not yet"),
        (2, "With help"),
        (3, "Independently"),
        (4, "Independently and can explain"),
        (None, "Not observed"),
    ]
    assert all(level.descriptor for level in levels.values())


def test_demo_frameworks_load_idempotently_with_every_column(db):
    for name in FRAMEWORKS:
        Qualification.objects.create(name=name)
    load_frameworks()
    load_frameworks()
    for name in FRAMEWORKS:
        units = Unit.objects.filter(qualification__name=name)
        outcomes = Outcome.objects.filter(unit__qualification__name=name)
        assert units.count() >= 4
        assert outcomes.count() >= 12
        assert set(outcomes.values_list("kind", flat=True)) == set(Outcome.Kind.values)


def test_load_demo_ships_both_frameworks(db):
    call_command("load_demo")
    call_command("load_demo")
    assert Unit.objects.count() == 8
    assert Outcome.objects.count() == sum(len(o) for units in FRAMEWORKS.values() for _t, _d, o in units)


def test_the_administrator_adds_a_unit_at_the_end(world, client_for, outcomes, administrator):
    client = client_for(administrator)
    qualification = world.placement.qualification
    response = client.post(reverse("assessments:unit_create", args=[qualification.pk]), {"title": "Teamwork"})
    assert response.status_code == 302
    assert Unit.objects.get(title="Teamwork").position == 5


def test_unit_title_must_be_unique_within_the_qualification(world, client_for, outcomes, administrator):
    url = reverse("assessments:unit_create", args=[world.placement.qualification_id])
    response = client_for(administrator).post(url, {"title": "unit 1"})
    assert response.status_code == 200
    assert "already has a unit with this title" in response.content.decode()
    assert Unit.objects.count() == 4


def test_the_administrator_adds_and_edits_an_outcome(world, client_for, outcomes, administrator):
    client = client_for(administrator)
    unit = outcomes[0].unit
    response = client.post(
        reverse("assessments:outcome_create", args=[unit.pk]),
        {"unit": unit.pk, "kind": "skills", "text": "Greases the bearings from the chart."},
    )
    assert response.status_code == 302
    outcome = Outcome.objects.get(text__startswith="Greases")
    assert outcome.position == 4
    response = client.post(
        reverse("assessments:outcome_edit", args=[outcome.pk]),
        {"unit": unit.pk, "kind": "knowledge", "text": "Knows the greasing chart."},
    )
    assert response.status_code == 302
    outcome.refresh_from_db()
    assert (outcome.kind, outcome.text) == ("knowledge", "Knows the greasing chart.")


def test_moving_a_unit_up_swaps_it_with_the_one_above(world, client_for, outcomes, administrator):
    second = Unit.objects.get(title="Unit 2")
    response = client_for(administrator).post(reverse("assessments:unit_move", args=[second.pk]), {"direction": "up"})
    assert response.status_code == 302
    assert list(Unit.objects.order_by("position").values_list("title", flat=True)) == [
        "Unit 2",
        "Unit 1",
        "Unit 3",
        "Unit 4",
    ]


def test_moving_an_outcome_down_past_the_last_changes_nothing(world, client_for, outcomes, administrator):
    last = outcomes[2]
    client_for(administrator).post(reverse("assessments:outcome_move", args=[last.pk]), {"direction": "down"})
    assert list(last.unit.outcomes.order_by("position").values_list("pk", flat=True)) == [o.pk for o in outcomes[:3]]


@pytest.fixture
def administrator(db):
    """The installation's administrator: the only one who changes the shared qualification frameworks."""
    return UserFactory(username="administrator", role=Role.COORDINATOR, is_superuser=True, school=False)


def test_a_schools_coordinator_cannot_change_the_shared_framework(world, client_for, outcomes):
    """Every school assesses against the same units and outcomes: a coordinator reordering or renaming them
    changed every other school's ratings page. A qualification another school uses is not theirs to change."""
    from .factories import PlacementFactory, ProjectFactory, SchoolFactory

    elsewhere = ProjectFactory(sending_organisation=SchoolFactory(name="Școala Profesională Vaslui"))
    PlacementFactory(project=elsewhere, qualification=outcomes[0].unit.qualification)
    client = client_for(world.coordinator)
    unit = outcomes[0].unit
    assert client.post(reverse("assessments:unit_edit", args=[unit.pk]), {"title": "X"}).status_code == 403
    assert client.post(reverse("assessments:unit_move", args=[unit.pk]), {"direction": "down"}).status_code == 403
    unit.refresh_from_db()
    assert (unit.title, unit.position) == ("Unit 1", 1)
    page = client.get(reverse("assessments:framework", args=[unit.qualification_id])).content.decode()
    assert reverse("assessments:unit_edit", args=[unit.pk]) not in page


def test_a_schools_coordinator_writes_the_framework_no_other_school_uses(world, client_for, outcomes):
    """A new school's qualification is its own until another school uses it: its coordinator writes the outcomes
    (issue 22's first hour) without an administrator."""
    client = client_for(world.coordinator)
    unit = outcomes[0].unit
    assert client.post(reverse("assessments:unit_edit", args=[unit.pk]), {"title": "Siguranța"}).status_code == 302
    unit.refresh_from_db()
    assert unit.title == "Siguranța"


@pytest.mark.parametrize("role", ["staff", "mentor"])
def test_only_the_coordinator_changes_the_framework(world, client_for, outcomes, role):
    client = client_for(world.user(role))
    unit = outcomes[0].unit
    assert client.post(reverse("assessments:unit_edit", args=[unit.pk]), {"title": "X"}).status_code == 403
    assert client.post(reverse("assessments:unit_move", args=[unit.pk]), {"direction": "down"}).status_code == 403
    assert client.post(reverse("assessments:scale"), {}).status_code == 403
    unit.refresh_from_db()
    assert unit.title == "Unit 1"


def test_staff_reads_the_framework_and_a_mentor_does_not(world, client_for, outcomes):
    url = reverse("assessments:framework", args=[world.placement.qualification_id])
    page = client_for(world.staff).get(url)
    assert page.status_code == 200
    assert "Outcome 1.1" in page.content.decode()
    assert "Add a unit" not in page.content.decode()
    assert client_for(world.mentor).get(url).status_code == 403


def test_coordinator_rewords_the_scale(world, client_for, levels):
    ordered = list(ScaleLevel.objects.order_by("position", "pk"))
    data = {"form-TOTAL_FORMS": len(ordered), "form-INITIAL_FORMS": len(ordered)}
    for i, level in enumerate(ordered):
        data |= {f"form-{i}-id": level.pk, f"form-{i}-label": level.label, f"form-{i}-descriptor": level.descriptor}
    data["form-0-label"] = "Not yet able"
    data["form-0-descriptor"] = "Cannot do it yet."
    response = client_for(world.coordinator).post(reverse("assessments:scale"), data)
    assert response.status_code == 302
    level = ScaleLevel.objects.get(code="not-yet")
    assert (level.label, level.descriptor, level.points) == ("Not yet able", "Cannot do it yet.", 1)


# Rating: who may


def test_mentor_sees_every_outcome_grouped_by_unit_with_the_scale(world, client_for, outcomes, levels):
    page = client_for(world.mentor).get(round_url(world.assignment))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('type="radio"') == len(outcomes) * len(levels)
    assert "Unit 4" in html and "Outcome 4.3" in html
    assert levels["with-help"].descriptor in html


def test_mentor_saves_a_draft_and_who_and_when_come_from_the_session(world, client_for, outcomes, levels):
    data = form_data(all_rated(outcomes, levels["with-help"])) | {"rated_by": world.coordinator.pk}
    response = client_for(world.mentor).post(round_url(world.assignment), data)
    assert response.status_code == 302
    round = AssessmentRound.objects.get(assignment=world.assignment, kind=BASELINE)
    assert round.status == "draft"
    assert round.rated_by == world.mentor
    assert abs((timezone.now() - round.rated_at).total_seconds()) < 60
    assert round.ratings.count() == len(outcomes)


def test_coordinator_rates_any_learner(world, client_for, levels):
    make_framework(world.other_placement.qualification, units=1)
    outcomes = list(Outcome.objects.filter(unit__qualification=world.other_placement.qualification))
    response = client_for(world.coordinator).post(
        round_url(world.other_assignment), form_data(all_rated(outcomes, levels["independently"]), "submit")
    )
    assert response.status_code == 302
    round = AssessmentRound.objects.get(assignment=world.other_assignment)
    assert (round.status, round.submitted_by) == ("submitted", world.coordinator)


def test_other_mentor_gets_404_on_every_read_and_write(world, client_for, outcomes, levels):
    rate(world.assignment, BASELINE, outcomes, levels["with-help"], user=world.mentor)
    client = client_for(world.other_mentor)
    assert client.get(round_url(world.assignment)).status_code == 404
    assert client.get(reverse("assessments:assignment", args=[world.assignment.pk])).status_code == 404
    assert client.get(reverse("assessments:placement", args=[world.placement.pk])).status_code == 404
    data = form_data(all_rated(outcomes, levels["independently"]))
    assert client.post(round_url(world.assignment, FINAL), data).status_code == 404
    assert not AssessmentRound.objects.filter(kind=FINAL).exists()


def test_staff_reads_a_round_without_a_form_and_cannot_save(world, client_for, outcomes, levels):
    client = client_for(world.staff)
    page = client.get(round_url(world.assignment))
    assert page.status_code == 200
    assert 'type="radio"' not in page.content.decode()
    response = client.post(round_url(world.assignment), form_data(all_rated(outcomes, levels["with-help"])))
    assert response.status_code == 403
    assert not AssessmentRound.objects.exists()


def test_anonymous_writes_go_to_the_sign_in_page_and_save_nothing(world, client_for, outcomes, levels):
    response = client_for(None).post(round_url(world.assignment), form_data(all_rated(outcomes, levels["with-help"])))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not AssessmentRound.objects.exists()


def test_unknown_round_kind_is_404(world, client_for, outcomes):
    assert client_for(world.mentor).get(round_url(world.assignment, "weekly")).status_code == 404


# Rating: bad input writes nothing


@pytest.mark.parametrize("code", ["not-yet", "can-explain"])
def test_lowest_and_highest_level_need_a_comment_on_their_row(world, client_for, outcomes, levels, code):
    rows = all_rated(outcomes, levels["with-help"])
    rows[outcomes[4]] = (levels[code], "  ")
    response = client_for(world.mentor).post(round_url(world.assignment), form_data(rows))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [f"comment-{outcomes[4].pk}"]
    html = response.content.decode()
    assert "A comment is required for" in html
    assert f'href="#outcome-{outcomes[4].pk}"' in html
    assert "Nothing was saved." in html
    assert not AssessmentRound.objects.exists()
    assert not OutcomeRating.objects.exists()


def test_a_comment_at_the_extremes_is_accepted(world, client_for, outcomes, levels):
    rows = all_rated(outcomes, levels["can-explain"], "Showed a new colleague how to do it.")
    response = client_for(world.mentor).post(round_url(world.assignment), form_data(rows))
    assert response.status_code == 302
    assert OutcomeRating.objects.filter(level=levels["can-explain"]).count() == len(outcomes)


@pytest.mark.parametrize("bad", ["99999", "four"])
def test_an_invalid_level_is_refused_and_nothing_saved(world, client_for, outcomes, levels, bad):
    data = form_data(all_rated(outcomes, levels["with-help"]))
    data[f"level-{outcomes[0].pk}"] = bad
    response = client_for(world.mentor).post(round_url(world.assignment), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [f"level-{outcomes[0].pk}"]
    assert not OutcomeRating.objects.exists()


def test_submitting_with_an_unrated_outcome_is_refused(world, client_for, outcomes, levels):
    rows = all_rated(outcomes[1:], levels["with-help"])
    response = client_for(world.mentor).post(round_url(world.assignment), form_data(rows, "submit"))
    assert response.status_code == 200
    assert "before submitting" in str(response.context["form"].errors[f"level-{outcomes[0].pk}"])
    assert not AssessmentRound.objects.exists()


def test_not_observed_counts_as_rated_for_submitting(world, client_for, outcomes, levels):
    rows = all_rated(outcomes, levels["independently"])
    rows[outcomes[0]] = (levels["not-observed"], "")
    response = client_for(world.mentor).post(round_url(world.assignment), form_data(rows, "submit"))
    assert response.status_code == 302
    assert AssessmentRound.objects.get().status == "submitted"


def test_a_draft_may_be_partial_and_a_later_save_updates_and_clears_rows(world, client_for, outcomes, levels):
    client = client_for(world.mentor)
    client.post(round_url(world.assignment), form_data(all_rated(outcomes[:3], levels["with-help"])))
    assert OutcomeRating.objects.count() == 3
    rows = {outcomes[0]: (levels["independently"], "better"), outcomes[5]: (levels["with-help"], "")}
    client.post(round_url(world.assignment), form_data(rows))
    saved = dict(OutcomeRating.objects.values_list("outcome_id", "level_id"))
    assert saved == {outcomes[0].pk: levels["independently"].pk, outcomes[5].pk: levels["with-help"].pk}


def test_a_submitted_round_refuses_every_write_with_a_clear_message(world, client_for, outcomes, levels):
    rate(world.assignment, BASELINE, outcomes, levels["with-help"], user=world.mentor)
    data = form_data(all_rated(outcomes, levels["independently"]), "submit")
    for user in (world.mentor, world.coordinator):
        response = client_for(user).post(round_url(world.assignment), data)
        assert response.status_code == 409
        assert "is locked" in response.content.decode()
    assert set(OutcomeRating.objects.values_list("level_id", flat=True)) == {levels["with-help"].pk}


def test_the_service_refuses_to_write_a_submitted_round(world, outcomes, levels):
    rate(world.assignment, BASELINE, outcomes, levels["with-help"], user=world.mentor)
    with pytest.raises(services.RoundLocked):
        rate(world.assignment, BASELINE, outcomes, levels["independently"], user=world.coordinator, submit=False)
    assert set(OutcomeRating.objects.values_list("level_id", flat=True)) == {levels["with-help"].pk}


def test_a_submitted_round_shows_no_form(world, client_for, outcomes, levels):
    rate(world.assignment, BASELINE, outcomes, levels["with-help"], user=world.mentor)
    page = client_for(world.mentor).get(round_url(world.assignment))
    assert 'type="radio"' not in page.content.decode()
    assert "Reopen this round" not in page.content.decode()


# Reopening


def reopen_url(assignment, kind=BASELINE):
    return reverse("assessments:round_reopen", args=[assignment.pk, kind])


def test_reopening_without_a_reason_is_refused(world, client_for, outcomes, levels):
    rate(world.assignment, BASELINE, outcomes, levels["with-help"], user=world.mentor)
    response = client_for(world.coordinator).post(reopen_url(world.assignment), {"reason": "   "})
    assert response.status_code == 200
    assert "Give the reason for reopening the round." in response.content.decode()
    assert AssessmentRound.objects.get().status == "submitted"
    assert not RoundReopening.objects.exists()


def test_coordinator_reopens_with_a_reason_and_it_is_recorded(world, client_for, outcomes, levels):
    rate(world.assignment, BASELINE, outcomes, levels["with-help"], user=world.mentor)
    client = client_for(world.coordinator)
    response = client.post(reopen_url(world.assignment), {"reason": "Mentor rated the wrong learner."})
    assert response.status_code == 302
    round = AssessmentRound.objects.get()
    assert round.status == "draft"
    reopening = round.reopenings.get()
    assert (reopening.reopened_by, reopening.reason) == (world.coordinator, "Mentor rated the wrong learner.")
    assert "Mentor rated the wrong learner." in client.get(round_url(world.assignment)).content.decode()


def test_reopening_a_draft_is_refused(world, outcomes, levels):
    round = rate(world.assignment, BASELINE, outcomes, levels["with-help"], user=world.mentor, submit=False)
    with pytest.raises(ValidationError):
        services.reopen_round(round, user=world.coordinator, reason="Because.")


@pytest.mark.parametrize("role", ["mentor", "staff", "other_mentor"])
def test_only_the_coordinator_reopens(world, client_for, outcomes, levels, role):
    rate(world.assignment, BASELINE, outcomes, levels["with-help"], user=world.mentor)
    response = client_for(world.user(role)).post(reopen_url(world.assignment), {"reason": "Please."})
    assert response.status_code == 403
    assert AssessmentRound.objects.get().status == "submitted"


# Invariants


def test_one_round_of_each_kind_per_assignment(world):
    AssessmentRound.objects.create(assignment=world.assignment, kind=BASELINE)
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentRound.objects.create(assignment=world.assignment, kind=BASELINE)


def test_one_rating_per_outcome_and_round(world, outcomes, levels):
    round = AssessmentRound.objects.create(assignment=world.assignment, kind=BASELINE)
    OutcomeRating.objects.create(round=round, outcome=outcomes[0], level=levels["with-help"])
    with pytest.raises(IntegrityError), transaction.atomic():
        OutcomeRating.objects.create(round=round, outcome=outcomes[0], level=levels["independently"])


def test_a_submitted_round_must_say_who_and_when(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentRound.objects.create(assignment=world.assignment, kind=BASELINE, status="submitted")


# Progress


def test_assignment_progress_compares_submitted_baseline_and_final(world, outcomes, levels):
    rate(world.assignment, BASELINE, outcomes, levels["with-help"], user=world.mentor)
    final = {o.pk: (levels["independently"].pk, "") for o in outcomes}
    final[outcomes[0].pk] = (levels["not-observed"].pk, "")
    final[outcomes[1].pk] = (levels["can-explain"].pk, "Explains it.")
    services.save_round(world.assignment, FINAL, final, user=world.mentor, submit=True)
    progress = services.assignment_progress(world.assignment)
    rows = [o for unit in progress["units"] for o in unit.outcomes]
    assert [r.number for r in rows[:4]] == ["1.1", "1.2", "1.3", "2.1"]
    assert [r.gain for r in rows[:3]] == [None, 2, 1]
    assert progress["average_gain"] == pytest.approx((2 + 1 * (len(outcomes) - 2)) / (len(outcomes) - 1))


def test_drafts_do_not_count_in_progress(world, outcomes, levels):
    rate(world.assignment, BASELINE, outcomes, levels["with-help"], user=world.mentor)
    rate(world.assignment, FINAL, outcomes, levels["independently"], user=world.mentor, submit=False)
    progress = services.assignment_progress(world.assignment)
    assert not progress["has_final"]
    assert all(o.gain is None and o.final is None for unit in progress["units"] for o in unit.outcomes)


def test_placement_progress_averages_the_gain_per_unit(world, outcomes, levels):
    second = AssignmentFactory(
        participant=ParticipantFactory(project=world.project, qualification=world.placement.qualification),
        placement=world.placement,
        mentor=world.mentor,
    )
    rate(world.assignment, BASELINE, outcomes, levels["not-yet"], user=world.mentor)
    rate(world.assignment, FINAL, outcomes, levels["independently"], user=world.mentor)  # +2
    rate(second, BASELINE, outcomes, levels["with-help"], user=world.mentor)
    rate(second, FINAL, outcomes[:3], levels["independently"], user=world.mentor, submit=False)  # draft: ignored
    summary = services.placement_progress(world.placement, world.placement.assignments.order_by("pk"))
    first_unit = summary["units"][0]
    assert (first_unit.learners, first_unit.baseline, first_unit.final, first_unit.gain) == (1, 1, 3, 2)
    assert [row.gain for row in summary["learners"]] == [2, None]


def test_assignment_page_has_an_svg_chart_with_a_title_and_a_table(world, client_for, outcomes, levels):
    rate(world.assignment, BASELINE, outcomes, levels["with-help"], user=world.mentor)
    rate(world.assignment, FINAL, outcomes, levels["independently"], user=world.mentor)
    html = client_for(world.staff).get(reverse("assessments:assignment", args=[world.assignment.pk])).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert 'role="img" aria-labelledby="progress-chart-title progress-chart-desc"' in html
    assert '<title id="progress-chart-title">Baseline and final level per learning outcome: Ștefan Țurcanu' in html
    assert html.count("<rect") == 2 * len(outcomes) + 2  # two bars per outcome and the legend's two keys
    assert "<table" in html and "<script" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_gain_chart_draws_a_loss_to_the_left_of_zero():
    unit = services.UnitGain(number="1", unit=Unit(title="U"), learners=1, baseline=3, final=2, gain=-1)
    none = services.UnitGain(number="2", unit=Unit(title="V"), learners=0, baseline=None, final=None, gain=None)
    svg = str(charts.gain_chart([unit, none]))
    assert charts.LOSS_COLOUR in svg and "−1.0" not in svg and "-1.0" in svg
    assert "no data" in svg
    assert svg.count("<rect") == 1


def test_placement_page_lists_rounds_and_the_gain_per_unit(world, client_for, outcomes, levels):
    rate(world.assignment, BASELINE, outcomes, levels["with-help"], user=world.mentor)
    rate(world.assignment, FINAL, outcomes, levels["independently"], user=world.mentor)
    page = client_for(world.mentor).get(reverse("assessments:placement", args=[world.placement.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="gain-chart"' in html
    assert round_url(world.assignment, FINAL) in html
    assert "+1.0" in html


# Query counts


def count_queries(func):
    with CaptureQueriesContext(connection) as queries:
        func()
    return len(queries)


def learner_with_framework(world, size):
    """A learner of the mentor whose qualification has `size` units of `size` outcomes each."""
    qualification = Qualification.objects.create(name=f"Qualification with {size * size} outcomes")
    assignment = AssignmentFactory(
        participant=ParticipantFactory(project=world.project, qualification=qualification),
        placement=world.placement,
        mentor=world.mentor,
    )
    return assignment, make_framework(qualification, units=size, per_unit=size)


@pytest.mark.parametrize("submit", [False, True])
def test_saving_a_full_round_takes_the_same_few_queries_at_two_framework_sizes(
    world, client_for, levels, submit, django_assert_max_num_queries
):
    client = client_for(world.mentor)
    counts = []
    for size in (3, 12):
        assignment, outcomes = learner_with_framework(world, size)
        first = form_data(all_rated(outcomes, levels["with-help"]))  # creates every row
        second = form_data(all_rated(outcomes, levels["independently"]), "submit" if submit else "save")  # updates
        with django_assert_max_num_queries(20):
            created = count_queries(lambda: client.post(round_url(assignment), first))  # noqa: B023
        with django_assert_max_num_queries(20):
            updated = count_queries(lambda: client.post(round_url(assignment), second))  # noqa: B023
        saved = OutcomeRating.objects.filter(round__assignment=assignment, level=levels["independently"])
        assert saved.count() == size * size
        counts.append((created, updated))
    assert counts[0] == counts[1], f"queries at 9 outcomes {counts[0]}, at 144 outcomes {counts[1]}"


def grow_rated_placement(world, levels, learners, units, per_unit):
    """Grow the placement to `learners` learners with submitted baseline and final rounds; the framework is made
    with the given size the first time."""
    outcomes = list(Outcome.objects.filter(unit__qualification=world.placement.qualification))
    if not outcomes:
        outcomes = make_framework(world.placement.qualification, units=units, per_unit=per_unit)
    have = Assignment.objects.filter(placement=world.placement).count()
    for _ in range(have, learners):
        AssignmentFactory(
            participant=ParticipantFactory(project=world.project, qualification=world.placement.qualification),
            placement=world.placement,
            mentor=world.mentor,
        )
    for assignment in Assignment.objects.filter(placement=world.placement, assessment_rounds__isnull=True):
        rate(assignment, BASELINE, outcomes, levels["with-help"], user=world.mentor)
        rate(assignment, FINAL, outcomes, levels["independently"], user=world.mentor)
    return outcomes


@pytest.mark.parametrize("name", ["assessments:assignment", "assessments:round", "assessments:placement"])
def test_progress_pages_query_count_does_not_grow_with_the_data(world, client_for, levels, name):
    client = client_for(world.mentor)

    def url():
        if name == "assessments:placement":
            return reverse(name, args=[world.placement.pk])
        if name == "assessments:round":
            return round_url(world.assignment, FINAL)
        return reverse(name, args=[world.assignment.pk])

    grow_rated_placement(world, levels, learners=3, units=2, per_unit=3)
    small = count_queries(lambda: client.get(url()))
    Unit.objects.create(qualification=world.placement.qualification, title="More", position=9)
    more = Unit.objects.get(title="More")
    Outcome.objects.bulk_create(Outcome(unit=more, kind="skills", text=f"Extra {i}") for i in range(20))
    outcomes = list(Outcome.objects.filter(unit__qualification=world.placement.qualification))
    for assignment in Assignment.objects.filter(placement=world.placement):
        for round in assignment.assessment_rounds.all():
            OutcomeRating.objects.bulk_create(
                OutcomeRating(round=round, outcome=o, level=levels["can-explain"], comment="x")
                for o in outcomes
                if o.unit_id == more.pk
            )
    grow_rated_placement(world, levels, learners=20, units=0, per_unit=0)
    large = count_queries(lambda: client.get(url()))
    assert small == large, f"{name}: {small} queries with 3 learners and 6 outcomes, {large} with 20 and 26"
    assert large <= 20
