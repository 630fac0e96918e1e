from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from participants.models import Participant
from placements.demo import DEMO_PASSWORD, SCHOOL, SECOND_SCHOOL
from placements.models import Assignment, Placement, Project, Qualification


def call_command_output(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_demo_is_the_schools_project_and_loads_idempotently(db):
    call_command("load_demo")
    call_command("load_demo")
    project = Project.objects.get(sending_organisation__name=SCHOOL)
    assert Participant.objects.filter(project=project).count() == 31
    assert Placement.objects.filter(project=project).count() == 2
    assert Assignment.objects.filter(placement__project=project).count() == 31
    counts = {q.name: q.participants.filter(project=project).count() for q in Qualification.objects.all()}
    assert counts == {"Maintenance mechanic": 16, "Textile and leather products manufacturing": 15}
    assert all((p.end_date - p.start_date).days + 1 == 26 for p in project.placements.all())  # 4 weeks, Mon–Fri
    # and the second, small school kept apart on the same installation
    other = Project.objects.get(sending_organisation__name=SECOND_SCHOOL)
    assert Project.objects.count() == 2
    assert Participant.objects.filter(project=other).count() == 3
    assert Assignment.objects.filter(placement__project=other).count() == 3
    assert Participant.objects.filter(first_name="Ștefan", last_name="Lăcătuș").exists()


def test_demo_if_empty_leaves_an_existing_project_alone(db):
    call_command("load_demo")
    Participant.objects.filter(first_name="Ștefan").update(first_name="Ștefănel")
    call_command("load_demo", "--if-empty")
    assert Participant.objects.filter(first_name="Ștefănel").exists()


def test_demo_coordinator_signs_in_and_sees_31_participants_and_2_placements(db):
    call_command("load_demo")
    client = Client()
    response = client.post(reverse("login"), {"username": "coordinator", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).url.startswith(reverse("accounts:two_factor_verify"))
    code = call_command_output("demo_totp").splitlines()[0]
    response = client.post(reverse("accounts:two_factor_verify"), {"code": code, "next": reverse("dashboard")})
    assert response.status_code == 302
    page = client.get(reverse("dashboard"))
    assert page.context["figures"]["participants"] == 31
    assert page.context["figures"]["placements"] == 2
    html = page.content.decode()
    assert 'data-figure="participants">31<' in html
    assert 'data-figure="placements">2<' in html


def test_each_demo_mentor_sees_only_their_placement(db):
    call_command("load_demo")
    for username, expected in (("mentor.braga", 16), ("mentor.guimaraes", 15)):
        mentor = User.objects.get(username=username)
        assert Participant.objects.visible_to(mentor).count() == expected
        assert Placement.objects.visible_to(mentor).count() == 1


def test_load_demo_prints_the_demo_coordinators_authenticator_key(db):
    output = call_command_output("load_demo")
    assert "MOBI LITY DEMO KEYF ORTH ECOO RDIN ATOR" in output
    assert "demo_totp" in output


def test_demo_has_questionnaire_answers_of_most_learners_of_flow_one(db):
    from feedback.models import Answer, Invitation

    call_command("load_demo")
    call_command("load_demo")
    learners = Invitation.objects.filter(kind="learner")
    # Flow 1 has 16 learners; one came home on day 10 (the money demo), so 15 are asked.
    assert learners.count() == 15
    assert learners.filter(answered_at__isnull=False).count() >= 12
    assert Invitation.objects.filter(kind="host", answered_at__isnull=False).count() == 2
    assert Answer.objects.comments_visible_to_all().count() == 2
    assert Answer.objects.comments_waiting().count() >= 2


def test_demo_has_recognition_decisions(db):
    from alumni.models import Recognition

    call_command("load_demo")
    call_command("load_demo")
    assert Recognition.objects.count() == 13
    assert Recognition.objects.filter(decision="partial").exists()


def test_demo_has_five_local_employers_with_offers_and_two_agreements(db):
    from employers.models import Agreement, Offer
    from placements.models import Organisation

    call_command("load_demo")
    call_command("load_demo")
    employers = Organisation.objects.filter(kind="employer", profile__isnull=False)
    assert employers.count() >= 5
    assert Offer.objects.values("organisation").distinct().count() == 5
    assert Agreement.objects.count() == 2 and Agreement.objects.lapsing().count() == 1


def test_the_demos_two_schools_see_only_their_own(db):
    call_command("load_demo")
    for username, expected in (("coordinator", 31), ("staff", 31), ("vaslui.coordinator", 3), ("vaslui.staff", 3)):
        assert Participant.objects.visible_to(User.objects.get(username=username)).count() == expected
    assert Participant.objects.visible_to(User.objects.get(username="vaslui.mentor")).count() == 3
    assert "vaslui.coordinator" in call_command_output("load_demo", "--if-empty")
