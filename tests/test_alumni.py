"""Recognition after the stage and the graduates' paths: the rules, the learner's page, the public counts
(unknowns included), the final report, anonymisation."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from alumni import services
from alumni.models import FollowUp, FollowUpLink, Recognition
from assessments.models import AssessmentRound, OutcomeRating, ScaleLevel
from common.tokens import hash_token, issue
from participants.models import Participant
from placements.models import Assignment, Placement

from .sites import on_site
from .test_assessments import make_framework


@pytest.fixture
def finished(world):
    """Both stages ended eight months ago: the 3- and 6-month checkpoints are reached, the 12-month one is not."""
    end = timezone.localdate() - timedelta(days=245)
    Placement.objects.update(start_date=end - timedelta(days=25), end_date=end)
    Assignment.objects.update(status="completed")
    world.outcomes = make_framework(world.placement.qualification, units=2, per_unit=2)
    return world


def test_the_final_assessment_suggests_what_to_recognise(finished):
    final = AssessmentRound.objects.create(assignment=finished.assignment, kind=AssessmentRound.Kind.FINAL)
    good, weak = ScaleLevel.objects.get(code="independently"), ScaleLevel.objects.get(code="with-help")
    OutcomeRating.objects.create(round=final, outcome=finished.outcomes[0], level=good)
    OutcomeRating.objects.create(round=final, outcome=finished.outcomes[1], level=weak)
    assert services.suggested_outcomes(finished.assignment) == {finished.outcomes[0].pk}


def test_the_coordinator_records_recognition_and_the_learner_page_shows_it(finished, client_for):
    client = client_for(finished.coordinator)
    url = reverse("alumni:recognition", args=[finished.assignment.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "decision": "partial",
            "outcomes": [finished.outcomes[0].pk, finished.outcomes[1].pk],
            "how": "Credited as the practice of module 3",
            "decided_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    recognition = Recognition.objects.get(assignment=finished.assignment)
    assert recognition.decided_by == finished.coordinator and recognition.outcomes.count() == 2
    for user in (finished.coordinator, finished.staff, finished.mentor):
        page = client_for(user).get(reverse("participants:detail", args=[finished.learner.pk])).content.decode()
        assert "Recognised in part" in page and "Credited as the practice of module 3" in page


def test_recognition_refuses_outcomes_of_another_qualification_and_saves_nothing(finished):
    foreign = make_framework(finished.other_placement.qualification, units=1, per_unit=1)
    with pytest.raises(ValidationError) as refused:
        services.record_recognition(
            assignment_id=finished.assignment.pk,
            decision="full",
            outcome_ids=[foreign[0].pk],
            how="",
            decided_on=timezone.localdate(),
            by_id=finished.coordinator.pk,
        )
    assert "outcomes" in refused.value.message_dict
    assert not Recognition.objects.exists()


def test_recognition_waits_for_the_end_of_the_stage(world, client_for):
    make_framework(world.placement.qualification, units=1, per_unit=1)
    response = client_for(world.coordinator).post(
        reverse("alumni:recognition", args=[world.assignment.pk]),
        {"decision": "none", "decided_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400 and "after the stage ends" in response.content.decode()
    assert not Recognition.objects.exists()


def test_a_follow_up_without_consent_can_only_be_unknown(finished, client_for):
    response = client_for(finished.coordinator).post(
        reverse("alumni:follow_up", args=[finished.assignment.pk]),
        {"months": 3, "situation": "trade", "recorded_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400 and "consent" in response.content.decode()
    assert not FollowUp.objects.exists()


def test_public_counts_match_the_records_and_include_unknowns(finished, client, forget_cache):
    services.record_follow_up(assignment_id=finished.assignment.pk, months=3, situation="trade", consent=True)
    services.record_follow_up(assignment_id=finished.assignment.pk, months=6, situation="trade", consent=True)
    # The other learner has no follow-up at all: counted as unknown, not left out.
    assert services.path_counts(finished.project.pk) == [
        {"months": 3, "total": 2, "trade": 1, "other_field": 0, "education": 0, "looking": 0, "unknown": 1},
        {"months": 6, "total": 2, "trade": 1, "other_field": 0, "education": 0, "looking": 0, "unknown": 1},
    ]
    forget_cache()
    page = client.get(on_site("public:home")).content.decode()
    assert "1 of 2 working in their trade" in page
    assert 'data-unknown="1"' in page
    assert "after 12 months" not in page.lower()
    assert "Ștefan" not in page.split("What the graduates do now")[1][:2000]


def test_the_final_report_has_recognition_and_graduates_tables(finished):
    from reports.final_report import report_data, report_tables

    services.record_recognition(
        assignment_id=finished.assignment.pk,
        decision="full",
        outcome_ids=[o.pk for o in finished.outcomes],
        how="",
        decided_on=timezone.localdate(),
        by_id=finished.coordinator.pk,
    )
    services.record_follow_up(assignment_id=finished.assignment.pk, months=3, situation="looking", consent=True)
    tables = report_tables(report_data(finished.project))
    assert tables["recognition"].rows[0][1:] == [1, 1, 0, 0, 0]
    assert tables["graduates"].rows[0][1:] == [2, 0, 0, 0, 1, 1]


def test_anonymisation_keeps_the_counts_and_drops_the_notes(finished):
    from privacy.services import anonymise

    services.record_follow_up(
        assignment_id=finished.assignment.pk, months=3, situation="trade", consent=True, note="Works at Ștefan's uncle"
    )
    project = finished.project
    project.start_date, project.end_date = date(2015, 9, 1), date(2017, 2, 28)
    project.save()
    anonymise(finished.learner, finished.coordinator)
    follow_up = FollowUp.objects.get()
    assert follow_up.note == "" and follow_up.situation == "trade"
    assert not FollowUp.history.exclude(note="").exists()


def test_graduates_overview_query_count_does_not_grow(finished, client_for):
    from .test_queries import count_queries, grow

    client = client_for(finished.staff)
    url = reverse("alumni:overview")
    grow(finished, 31)
    Assignment.objects.update(status="completed")
    small = count_queries(client, url, "Căldăraru")
    grow(finished, 120)
    Assignment.objects.update(status="completed")
    large = count_queries(client, url, "Căldăraru")
    assert small == large


def test_graduates_get_follow_up_links_only_once_their_checkpoint_is_reached(finished):
    from outbox.models import OutgoingMessage

    Participant.objects.filter(pk=finished.learner.pk).update(email="stefan@example.ro")
    made = services.make_follow_up_links(project_id=finished.project.pk, months=6)
    assert (made.created, made.emailed) == (2, 1)
    assert OutgoingMessage.objects.filter(purpose="follow_up_request", to="stefan@example.ro").count() == 1
    assert services.make_follow_up_links(project_id=finished.project.pk, months=6).created == 0
    assert services.make_follow_up_links(project_id=finished.project.pk, months=12).created == 0


def test_a_follow_up_link_is_shown_once_and_only_its_tokens_hash_is_kept(finished, client, client_for):
    from outbox.models import OutgoingMessage

    Participant.objects.filter(pk=finished.learner.pk).update(email="stefan@example.ro")
    services.make_follow_up_links(project_id=finished.project.pk, months=6)
    mail = OutgoingMessage.objects.get(purpose="follow_up_request", to="stefan@example.ro")
    emailed = re.search(r"/graduates/f/([\w-]+)/", mail.body).group(1)
    link = FollowUpLink.objects.get(assignment=finished.assignment, months=6)
    assert link.token_hash == hash_token(emailed)
    assert client.get(reverse("alumni:answer", args=[link.token_hash])).status_code == 404  # a copy of the database
    coordinator = client_for(finished.coordinator)
    page = coordinator.get(reverse("alumni:follow_up", args=[finished.assignment.pk])).content.decode()
    assert emailed not in page and "/graduates/f/" not in page
    made = coordinator.post(reverse("alumni:new_follow_up_link", args=[link.pk]))
    assert made.status_code == 200 and "private, no-store" in made["Cache-Control"]
    (token,) = re.findall(r"/graduates/f/([\w-]+)/", made.content.decode())
    assert client.get(reverse("alumni:answer", args=[token])).status_code == 200
    assert client.get(reverse("alumni:answer", args=[emailed])).status_code == 404


def test_a_graduate_answers_by_link_once(finished, client):
    link = FollowUpLink.objects.create(assignment=finished.assignment, months=3, language="en")
    issue(link)
    url = link.get_absolute_url()
    assert client.get(url).status_code == 200
    response = client.post(url, {"situation": "education", "consent": "yes"})
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    follow_up = FollowUp.objects.get(assignment=finished.assignment, months=3)
    assert (follow_up.situation, follow_up.consent, follow_up.source) == ("education", True, "learner")
    again = client.post(url, {"situation": "trade", "consent": "yes"})
    assert again.status_code == 409
    assert FollowUp.objects.get(assignment=finished.assignment, months=3).situation == "education"


def test_a_graduate_who_says_no_is_counted_as_unknown(finished, client):
    link = FollowUpLink.objects.create(assignment=finished.assignment, months=3)
    issue(link)
    client.post(link.get_absolute_url(), {"situation": "trade", "consent": "no"})
    follow_up = FollowUp.objects.get(assignment=finished.assignment, months=3)
    assert (follow_up.situation, follow_up.consent) == ("unknown", False)


def test_a_follow_up_link_goes_with_the_learner(finished, client):
    link = FollowUpLink.objects.create(assignment=finished.assignment, months=3)
    issue(link)
    Assignment.objects.filter(pk=finished.assignment.pk).update(status="withdrawn", withdrawal_reason="Moved")
    assert client.get(link.get_absolute_url()).status_code == 404


def test_a_follow_up_form_missing_an_answer_says_so_and_saves_nothing(finished, client):
    link = FollowUpLink.objects.create(assignment=finished.assignment, months=3)
    issue(link)
    response = client.post(link.get_absolute_url(), {"situation": "trade"})
    # The graduate's page speaks Romanian unless they chose another language.
    assert response.status_code == 400 and "Alege da sau nu." in response.content.decode()
    assert not FollowUp.objects.exists()


def test_the_learner_data_export_holds_what_happened_after_the_stage(finished, client):
    from feedback.models import Invitation
    from privacy.export import collect

    services.record_follow_up(
        assignment_id=finished.assignment.pk, months=3, situation="trade", consent=True, note="Garage in Bacău"
    )
    invitation = Invitation.objects.create(kind="learner", placement=finished.placement, assignment=finished.assignment)
    issue(invitation)
    client.post(reverse("feedback:question", args=[invitation.token, 8]), {"choice": "keep", "text": "Mulțumesc"})
    data = collect(finished.learner)
    assert data["follow_ups"][0]["note"] == "Garage in Bacău"
    assert data["questionnaire_answers"][0]["text"] == "Mulțumesc"
    assert invitation.token not in str(data) and invitation.token_hash not in str(data)
    assert data["introductions"] == [] and data["recognition"] == []


def test_the_graduates_page_shows_the_project_chosen_and_the_running_one_by_default(finished, client_for):
    """An earlier, finished project's graduates are reached through the project choice, as on the dashboard."""
    from .factories import ProjectFactory

    earlier = finished.project
    earlier.start_date, earlier.end_date = (
        timezone.localdate() - timedelta(days=400),
        timezone.localdate() - timedelta(days=5),
    )
    earlier.save()
    running = ProjectFactory(title="Running project", start_date=timezone.localdate() - timedelta(days=10))
    running.end_date = timezone.localdate() + timedelta(days=300)
    running.save()
    client = client_for(finished.coordinator)
    default = client.get(reverse("alumni:overview")).content.decode()
    assert "Running project" in default and finished.learner.last_name not in default
    chosen = client.get(reverse("alumni:overview"), {"project": finished.project.pk}).content.decode()
    assert finished.learner.last_name in chosen
    assert client.get(reverse("alumni:overview"), {"project": "99999999999999999999999"}).status_code == 200
