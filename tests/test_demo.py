from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

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
    project = Project.objects.get(reference="2026-1-RO01-KA122-VET-000187412")
    # and the school's earlier, finished project (alumni.demo), the second school's and a consortium's (placements.demo)
    assert Project.objects.count() == 4
    assert Participant.objects.filter(project=project).count() == 31
    assert Placement.objects.filter(project=project).count() == 2
    assert Assignment.objects.filter(placement__project=project).count() == 31
    counts = {q.name: q.participants.filter(project=project).count() for q in Qualification.objects.all()}
    assert counts == {"Maintenance mechanic": 16, "Textile and leather products manufacturing": 15}
    assert all((p.end_date - p.start_date).days + 1 == 26 for p in project.placements.all())  # 4 weeks, Mon–Fri
    # and the second, small school kept apart on the same installation
    other = Project.objects.get(sending_organisation__name=SECOND_SCHOOL)
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


def test_demo_has_a_finished_earlier_project_with_as_many_girls_as_boys(db):
    from alumni.demo import REFERENCE
    from attendance.models import AttendanceRecord

    call_command("load_demo")
    call_command("load_demo")
    learners = Participant.objects.filter(project__reference=REFERENCE)
    assert learners.count() == 10
    assert learners.filter(gender="female").count() == learners.filter(gender="male").count()
    placements = Placement.objects.filter(project__reference=REFERENCE)
    assert placements.count() == 2
    assert all(p.end_date < timezone.localdate() - timedelta(days=183) for p in placements)
    assert all((p.end_date - p.start_date).days + 1 == 19 for p in placements)  # 3 weeks, Mon–Fri
    assert AttendanceRecord.objects.filter(assignment__placement__in=placements).count() == 10 * 15
    assert not Assignment.objects.filter(placement__in=placements, mentor__isnull=False).exists()


def test_demo_questionnaires_are_about_the_finished_stage_only(db):
    from alumni.demo import REFERENCE
    from feedback.models import Answer, Invitation
    from feedback.services import stage_has_ended

    call_command("load_demo")
    call_command("load_demo")
    assert all(stage_has_ended(i.placement) for i in Invitation.objects.select_related("placement"))
    learners = Invitation.objects.filter(kind="learner", placement__project__reference=REFERENCE)
    assert learners.count() == 10
    assert learners.filter(answered_at__isnull=False).count() == 8
    assert Invitation.objects.filter(kind="host", answered_at__isnull=False).count() == 2
    assert Answer.objects.comments_visible_to_all().count() == 2
    assert Answer.objects.comments_waiting().count() >= 2


def test_demo_recognises_and_follows_up_only_the_finished_stage(db):
    from alumni.demo import REFERENCE
    from alumni.models import FollowUp, Recognition
    from alumni.services import path_counts

    call_command("load_demo")
    call_command("load_demo")
    assert Recognition.objects.count() == 10
    assert not Recognition.objects.exclude(assignment__placement__project__reference=REFERENCE).exists()
    assert Recognition.objects.filter(decision="partial").count() == 2
    assert not FollowUp.objects.exclude(assignment__placement__project__reference=REFERENCE).exists()
    assert not FollowUp.objects.filter(recorded_on__gt=timezone.localdate()).exists()
    counts = {row["months"]: row for row in path_counts(Project.objects.get(reference=REFERENCE).pk)}
    assert counts[3]["total"] == counts[6]["total"] == 10
    assert counts[3]["trade"] == counts[6]["trade"] == 4
    assert counts[3]["unknown"] == 2 and counts[6]["unknown"] == 3  # recorded unknown, or not reached at all
    assert FollowUp.objects.filter(months=3).count() == 9 and FollowUp.objects.filter(months=6).count() == 9


def test_demo_has_five_local_employers_with_offers_and_two_agreements(db):
    from accounts.models import Organisation
    from employers.models import Agreement, Offer

    call_command("load_demo")
    call_command("load_demo")
    employers = Organisation.objects.filter(kind="employer", profile__isnull=False)
    assert employers.count() >= 5
    assert Offer.objects.values("organisation").distinct().count() == 5
    assert Agreement.objects.count() == 2 and Agreement.objects.lapsing().count() == 1


def test_demo_applications_on_the_reserve_list_carry_documents(db):
    from selection.models import ApplicationDocument

    call_command("load_demo")
    call_command("load_demo")
    documents = ApplicationDocument.objects.all()
    assert documents.count() == 3
    assert {d.application.status for d in documents} == {"reserve"}


def test_the_demos_two_schools_see_only_their_own(db):
    call_command("load_demo")
    first = Participant.objects.filter(project__sending_organisation__name=SCHOOL).count()  # both its projects
    for username, expected in (
        ("coordinator", first),
        ("staff", first),
        ("vaslui.coordinator", 5),  # its 3, and its 2 in the consortium's project
        ("vaslui.staff", 5),
    ):
        assert Participant.objects.visible_to(User.objects.get(username=username)).count() == expected
    assert Participant.objects.visible_to(User.objects.get(username="vaslui.mentor")).count() == 3
    assert "vaslui.coordinator" in call_command_output("load_demo", "--if-empty")


def test_the_demos_second_school_has_its_own_address_book(db):
    from accounts.models import Organisation
    from accounts.roles import in_schools

    call_command("load_demo")
    call_command("load_demo")  # idempotent, though both schools have a record of the same partner
    theirs = set(in_schools(Organisation.objects.all(), User.objects.get(username="vaslui.coordinator")))
    assert {o.name for o in theirs} == {
        SECOND_SCHOOL,
        "Oficina Ferreira & Filhos (demo)",
        "Intercâmbio Minho – Associação para a Mobilidade",
    }
    ours = set(in_schools(Organisation.objects.all(), User.objects.get(username="coordinator")))
    assert not theirs & ours
    assert len({o.oid for o in Organisation.objects.filter(name__startswith="Intercâmbio Minho")}) == 1


def test_the_demo_consortium_shows_each_office_its_own_learners(db):
    call_command("load_demo")

    def learners(username):
        return set(
            Participant.objects.visible_to(User.objects.get(username=username)).values_list("last_name", flat=True)
        )

    assert learners("consortiu.coordinator") == {"Pricop", "Tănase", "Onofrei", "Rusu"}
    assert learners("vaslui.coordinator") == {"Pricop", "Tănase", "Vasilache", "Roman", "Gavrilă"}
    assert learners("harlau.coordinator") == {"Onofrei", "Rusu"}
    assert learners("braga.mentor") == {"Pricop", "Tănase", "Onofrei", "Rusu"}


def test_the_demos_person_of_two_schools_reads_both_and_changes_only_where_they_coordinate(db, client):
    from django.http import Http404

    from placements.access import placement_to_change, placements_for
    from placements.demo import TWO_SCHOOLS_ACCOUNT
    from placements.models import Placement

    call_command("load_demo")
    deputy = User.objects.get(username=TWO_SCHOOLS_ACCOUNT[0])
    first = Placement.objects.filter(project__sending_organisation__name=SCHOOL).first()
    second = Placement.objects.get(project__sending_organisation__name=SECOND_SCHOOL)
    assert {first, second} <= set(placements_for(deputy))
    assert placement_to_change(deputy, second.pk) == second
    with pytest.raises(Http404):
        placement_to_change(deputy, first.pk)
    from .conftest import pass_second_factor

    client.force_login(deputy)
    pass_second_factor(client, deputy)
    body = client.get(reverse("dashboard")).content.decode()
    # The project picker offers both schools' projects.
    assert f'<option value="{first.project_id}"' in body
    assert f'<option value="{second.project_id}"' in body


def test_the_demos_finished_learner_carries_away_a_europass_pdf_and_a_credential_that_passes_the_shapes(db):
    """Issue #24's proof on the demo's own data: the finished project's first learner has both papers."""
    import json

    from django.core.files.storage import storages

    from credentials import elm
    from credentials.demo import FINISHED_PROJECT
    from credentials.models import EuropassMobility

    call_command("load_demo")
    issued = EuropassMobility.objects.filter(
        assignment__placement__project__reference=FINISHED_PROJECT, issued_at__isnull=False
    )
    assert issued.count() == 1
    europass = issued.get()
    pdfs = [name for key, name in europass.files.items() if key != "elm"]
    assert pdfs and all(storages["private"].open(name, "rb").read(5) == b"%PDF-" for name in pdfs)
    with storages["private"].open(europass.files["elm"], "rb") as kept:
        document = json.loads(kept.read())
    assert elm.unexpected_violations(document) == []
    subject = document["credential"]["credentialSubject"]
    assert europass.assignment.participant.last_name in json.dumps(subject, ensure_ascii=False)
