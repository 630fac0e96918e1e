"""The questionnaires: links after the stage, one answer per link, revoked with the learner, nothing of others
shown, free text hidden until a coordinator approves it, and the final report's counts."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from common.exceptions import NotAllowed
from common.tokens import hash_token, issue
from feedback import services
from feedback.models import Answer, Invitation
from outbox.models import OutgoingMessage
from participants.models import Participant
from placements.models import Assignment, Placement

from .factories import AssignmentFactory, ParticipantFactory


@pytest.fixture
def ended(world):
    """Both placements are over: the questionnaires may go out."""
    past = timezone.localdate() - timedelta(days=40)
    Placement.objects.update(start_date=past, end_date=past + timedelta(days=25))
    Participant.objects.filter(pk=world.learner.pk).update(email="stefan@example.ro")
    world.mentor.email = "rui@example.pt"
    world.mentor.save()
    return world


def link_of(assignment):
    """The learner's invitation with a new link, as the coordinator's "New link" makes: only its hash is kept."""
    invitation = Invitation.objects.get(kind="learner", assignment=assignment)
    issue(invitation)
    return invitation


def answer_all(client, invitation, choice="good", text=""):
    for step in range(1, 9):
        client.post(reverse("feedback:question", args=[invitation.token, step]), {"choice": choice, "text": text})
    return client.post(reverse("feedback:send", args=[invitation.token]))


def test_links_are_refused_before_the_stage_ends(world):
    with pytest.raises(NotAllowed):
        services.make_invitations(placement_id=world.placement.pk, by_id=world.coordinator.pk)
    assert not Invitation.objects.exists()


def test_sending_makes_one_link_per_learner_and_mentor_and_emails_them_once(ended, django_capture_on_commit_callbacks):
    sent = services.send_invitations(placement_id=ended.placement.pk, by_id=ended.coordinator.pk)
    assert (sent.created, sent.emailed, sent.without_email) == (2, 2, 0)
    mail = OutgoingMessage.objects.filter(purpose=OutgoingMessage.Purpose.FEEDBACK_INVITATION)
    assert sorted(mail.values_list("to", flat=True)) == ["rui@example.pt", "stefan@example.ro"]
    learner_mail = mail.get(to="stefan@example.ro")
    token = re.search(r"/feedback/q/([\w-]+)/", learner_mail.body).group(1)
    stored = Invitation.objects.get(kind="learner", assignment=ended.assignment).token_hash
    assert stored == hash_token(token) and token not in stored and learner_mail.language == "ro"
    again = services.send_invitations(placement_id=ended.placement.pk, by_id=ended.coordinator.pk)
    assert (again.created, again.emailed) == (0, 0)
    assert mail.count() == 2


def test_the_receiving_partner_gets_the_hosts_questionnaire_too(ended):
    from placements.models import ContactPerson

    contact = ContactPerson.objects.create(
        organisation=ended.placement.receiving_partner, name="Joana Araújo", email="joana@example.pt"
    )
    ContactPerson.objects.create(organisation=ended.placement.receiving_partner, name="No address")
    services.make_invitations(placement_id=ended.placement.pk, by_id=None)
    partner_links = Invitation.objects.filter(kind="host", contact__isnull=False)
    assert [i.contact for i in partner_links] == [contact]
    assert services.recipient_address(partner_links.get()) == "joana@example.pt"


def test_a_withdrawn_learner_gets_no_link(ended):
    Assignment.objects.filter(pk=ended.assignment.pk).update(status="withdrawn", withdrawal_reason="Went home")
    services.make_invitations(placement_id=ended.placement.pk, by_id=None)
    assert not Invitation.objects.filter(kind="learner").exists()


def test_a_learner_answers_question_by_question_and_sends(ended, client):
    services.make_invitations(placement_id=ended.placement.pk, by_id=None)
    invitation = link_of(ended.assignment)
    start = client.get(invitation.get_absolute_url())
    assert start.status_code == 200 and "Start" in start.content.decode() or "Începe" in start.content.decode()
    response = client.post(reverse("feedback:question", args=[invitation.token, 1]), {"choice": "good", "text": ""})
    assert response["Location"] == reverse("feedback:question", args=[invitation.token, 2])
    page = client.get(reverse("feedback:question", args=[invitation.token, 1])).content.decode()
    assert 'value="good" class="btn btn-lg answer answer-good chosen" aria-pressed="true"' in page
    # Words added later keep the choice.
    client.post(reverse("feedback:question", args=[invitation.token, 1]), {"choice": "keep", "text": "Bine"})
    answer = Answer.objects.get(invitation=invitation, question="preparation")
    assert (answer.choice, answer.text) == ("good", "Bine")
    response = client.post(reverse("feedback:send", args=[invitation.token]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.is_answered


def test_a_link_cannot_answer_twice(ended, client):
    services.make_invitations(placement_id=ended.placement.pk, by_id=None)
    invitation = link_of(ended.assignment)
    Invitation.objects.filter(pk=invitation.pk).update(language="en")  # the words below are the English page's
    answer_all(client, invitation, "good")
    first = Invitation.objects.get(pk=invitation.pk).answered_at
    refused = client.post(reverse("feedback:send", args=[invitation.token]))
    assert refused.status_code == 409
    changed = client.post(reverse("feedback:question", args=[invitation.token, 1]), {"choice": "bad", "text": "x"})
    assert changed.status_code == 409
    assert "already sent" in changed.content.decode()
    assert Answer.objects.get(invitation=invitation, question="preparation").choice == "good"
    assert Invitation.objects.get(pk=invitation.pk).answered_at == first
    with pytest.raises(services.AlreadyAnswered):
        services.finish(token=invitation.token)


def test_an_unknown_choice_saves_nothing(ended, client):
    services.make_invitations(placement_id=ended.placement.pk, by_id=None)
    invitation = link_of(ended.assignment)
    response = client.post(reverse("feedback:question", args=[invitation.token, 1]), {"choice": "superb"})
    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_a_link_is_revoked_when_the_learner_withdraws(ended, client):
    services.make_invitations(placement_id=ended.placement.pk, by_id=None)
    invitation = link_of(ended.assignment)
    Assignment.objects.filter(pk=ended.assignment.pk).update(status="withdrawn", withdrawal_reason="Went home")
    assert client.get(invitation.get_absolute_url()).status_code == 404
    assert client.post(reverse("feedback:send", args=[invitation.token])).status_code == 404


def test_a_link_is_revoked_when_the_consent_to_processing_is_withdrawn(ended, client):
    services.make_invitations(placement_id=ended.placement.pk, by_id=None)
    invitation = link_of(ended.assignment)
    Participant.objects.filter(pk=ended.learner.pk).update(
        consent_data_processing_on=date(2026, 1, 1), consent_data_processing_withdrawn_on=date(2026, 2, 1)
    )
    assert client.get(invitation.get_absolute_url()).status_code == 404


def test_anonymising_the_learner_revokes_the_link_and_removes_their_words(ended, client):
    from privacy.services import anonymise

    services.make_invitations(placement_id=ended.placement.pk, by_id=None)
    invitation = link_of(ended.assignment)
    answer_all(client, invitation, "good", text="Mentorul Rui m-a ajutat")
    project = ended.project
    project.start_date, project.end_date = date(2015, 9, 1), date(2017, 2, 28)
    project.save()
    Assignment.objects.filter(pk=ended.assignment.pk).update(status="completed")
    anonymise(ended.learner, ended.coordinator)
    assert client.get(invitation.get_absolute_url()).status_code == 404
    assert not Answer.objects.exclude(text="").exists()
    assert Answer.objects.filter(invitation=invitation, choice="good").count() == 7  # the counts stay


def test_a_link_shows_nothing_of_other_learners(ended, client):
    services.make_invitations(placement_id=ended.placement.pk, by_id=None)
    neighbour = ParticipantFactory(project=ended.project, first_name="Florica", last_name="Vasilache")
    other = AssignmentFactory(participant=neighbour, placement=ended.placement, host_company=ended.host)
    services.make_invitations(placement_id=ended.placement.pk, by_id=None)
    answer_all(client, link_of(other), "bad", text="SECRET-OF-FLORICA")
    mine = link_of(ended.assignment)
    pages = [mine.get_absolute_url(), reverse("feedback:send", args=[mine.token])]
    pages += [reverse("feedback:question", args=[mine.token, step]) for step in range(1, 9)]
    for url in pages:
        content = client.get(url).content.decode()
        assert "SECRET-OF-FLORICA" not in content and "Florica" not in content, url
        assert 'aria-pressed="true"' not in content, url
    assert client.get("/feedback/q/" + mine.token[:-1] + "x/").status_code == 404


def test_free_text_is_invisible_until_a_coordinator_approves_it(ended, client, client_for):
    services.make_invitations(placement_id=ended.placement.pk, by_id=None)
    answer_all(client, link_of(ended.assignment), "middle", text="Cazarea era rece")
    url = reverse("feedback:results", args=[ended.placement.pk])
    assert "Cazarea era rece" not in client_for(ended.staff).get(url).content.decode()
    coordinator = client_for(ended.coordinator)
    page = coordinator.get(url).content.decode()
    assert "Cazarea era rece" in page and "Waiting for approval" in page
    answer = Answer.objects.exclude(text="").first()
    coordinator.post(reverse("feedback:moderate", args=[answer.pk]), {"action": "approve"})
    assert "Cazarea era rece" in client_for(ended.staff).get(url).content.decode()
    client_for(ended.coordinator).post(reverse("feedback:moderate", args=[answer.pk]), {"action": "hide"})
    assert "Cazarea era rece" not in client_for(ended.staff).get(url).content.decode()


def test_results_show_counts_and_the_response_rate(ended, client, client_for):
    services.make_invitations(placement_id=ended.placement.pk, by_id=None)
    answer_all(client, link_of(ended.assignment), "good")
    page = client_for(ended.staff).get(reverse("feedback:results", args=[ended.placement.pk])).content.decode()
    assert "1 of 1 answered (100 %)" in page  # the learner
    assert "0 of 1 answered (0 %)" in page  # the mentor
    assert "<svg" in page and 'role="img"' in page


def test_the_coordinator_sends_the_links_from_the_results_page(ended, client_for):
    response = client_for(ended.coordinator).post(reverse("feedback:send_invitations", args=[ended.placement.pk]))
    assert response.status_code == 302
    assert Invitation.objects.filter(placement=ended.placement).count() == 2


def test_sending_before_the_end_says_why(world, client_for):
    client = client_for(world.coordinator)
    response = client.post(reverse("feedback:send_invitations", args=[world.placement.pk]), follow=True)
    assert "after the stage ends" in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_links_page_makes_new_links_with_a_qr_code_each_shown_once(ended, client_for, client):
    services.make_invitations(placement_id=ended.placement.pk, by_id=None)
    coordinator = client_for(ended.coordinator)
    url = reverse("feedback:links", args=[ended.placement.pk])
    listed = coordinator.get(url)
    assert (
        listed.status_code == 200
        and "<svg" not in listed.content.decode()
        and "/feedback/q/" not in listed.content.decode()
    )
    made = coordinator.post(url)
    page = made.content.decode()
    assert made.status_code == 200 and "private, no-store" in made["Cache-Control"]
    assert page.count("<svg") >= 2
    tokens = re.findall(r"/feedback/q/([\w-]+)/", page)
    learner = Invitation.objects.get(kind="learner", assignment=ended.assignment)
    assert learner.token_hash in {hash_token(token) for token in tokens}
    assert all(client.get(reverse("feedback:start", args=[token])).status_code == 200 for token in tokens)
    assert not any(token in coordinator.get(url).content.decode() for token in tokens)


def test_a_new_link_for_one_person_stops_their_old_one(ended, client_for, client):
    services.send_invitations(placement_id=ended.placement.pk, by_id=None)
    old = link_of(ended.assignment).token
    learner = Invitation.objects.get(kind="learner", assignment=ended.assignment)
    url = reverse("feedback:links", args=[ended.placement.pk])
    assert "/feedback/q/" not in client_for(ended.coordinator).post(url).content.decode()  # all emailed
    made = client_for(ended.coordinator).post(url, {"invitation": learner.pk}).content.decode()
    (token,) = re.findall(r"/feedback/q/([\w-]+)/", made)
    assert client.get(reverse("feedback:start", args=[token])).status_code == 200
    assert client.get(reverse("feedback:start", args=[old])).status_code == 404


def test_a_copy_of_the_database_opens_no_questionnaire(ended, client):
    services.make_invitations(placement_id=ended.placement.pk, by_id=None)
    stored = Invitation.objects.get(kind="learner", assignment=ended.assignment).token_hash
    assert client.get(reverse("feedback:start", args=[stored])).status_code == 404


def test_the_language_of_the_link_is_chosen_by_the_learner(ended, client):
    services.make_invitations(placement_id=ended.placement.pk, by_id=None)
    invitation = link_of(ended.assignment)
    page = client.get(invitation.get_absolute_url() + "?lang=en").content.decode()
    assert '<html lang="en">' in page
    assert Invitation.objects.get(pk=invitation.pk).language == "en"


def test_the_final_report_counts_answers_without_names(ended, client):
    from reports.final_report import report_data, report_tables

    services.make_invitations(placement_id=ended.placement.pk, by_id=None)
    answer_all(client, link_of(ended.assignment), "good", text="Ștefan says thanks")
    data = report_data(ended.project)
    tables = report_tables(data)
    assert tables["feedback"].rows[0][1:] == [1, 1, 100]
    assert tables["feedback_answers"].rows[0][2:] == [1, 0, 0, 0]
    flat = str(data["tables"])
    assert "Ștefan" not in flat and "Țurcanu" not in flat


@pytest.mark.parametrize("name", ["feedback:overview", "feedback:results"])
def test_office_pages_query_count_does_not_grow(ended, client_for, client, name):
    from .test_queries import count_queries, grow

    url = reverse(name, kwargs={"pk": ended.placement.pk} if name == "feedback:results" else None)
    office = client_for(ended.coordinator)

    def answered(total):
        grow(ended, total)
        services.make_invitations(placement_id=ended.placement.pk, by_id=None)
        for invitation in Invitation.objects.filter(answered_at__isnull=True, kind="learner"):
            Answer.objects.create(invitation=invitation, question="work", choice="good", text="ok")
            invitation.answered_at = timezone.now()
            invitation.save()

    answered(31)
    small = count_queries(office, url, ended.placement.title)
    answered(120)
    large = count_queries(office, url, ended.placement.title)
    assert small == large


def test_the_final_report_pdf_has_the_feedback_section_with_its_chart(ended, client):
    from reports.final_report import report_pdf

    from .tools import pdf_text

    services.make_invitations(placement_id=ended.placement.pk, by_id=None)
    answer_all(client, link_of(ended.assignment), "good", text="Ștefan says thanks")
    pdf, _name = report_pdf(ended.project)
    text = pdf_text(pdf)
    assert "FEEDBACK FROM LEARNERS AND HOSTS" in text.upper()
    assert "Would go again" in text  # the chart's labels
    assert "Ștefan says thanks" not in text and "Țurcanu" not in text
