"""What a learner carries away: the Europass Mobility document (reviewed, issued, PDFs in Romanian and English)
and the European Digital Credential (ELM 3, unsealed, "uploadable"), checked against the model's shapes."""

import copy
import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from assessments.models import AssessmentRound, OutcomeRating, ScaleLevel
from credentials import elm, services
from credentials.models import EuropassMobility
from placements.models import Assignment, Placement
from reports.certificates import issue_certificate

from .factories import AssignmentFactory, ParticipantFactory, SchoolFactory
from .test_assessments import make_framework
from .tools import run_tool


def certificate_for(world):
    """The world's learner finished their stage last month; the mentor rated two outcomes of four."""
    end = timezone.localdate() - timedelta(days=30)
    Placement.objects.filter(pk=world.placement.pk).update(start_date=end - timedelta(days=25), end_date=end)
    Assignment.objects.filter(pk=world.assignment.pk).update(
        status="completed", tasks="Changed the oil of a press\nCleaned the workshop"
    )
    world.assignment.refresh_from_db()
    outcomes = make_framework(world.placement.qualification, units=2, per_unit=2)
    final = AssessmentRound.objects.create(
        assignment=world.assignment,
        kind=AssessmentRound.Kind.FINAL,
        status=AssessmentRound.Status.SUBMITTED,
        submitted_at=timezone.now(),
        submitted_by=world.mentor,
    )
    OutcomeRating.objects.create(round=final, outcome=outcomes[0], level=ScaleLevel.objects.get(code="independently"))
    OutcomeRating.objects.create(round=final, outcome=outcomes[1], level=ScaleLevel.objects.get(code="not-observed"))
    return issue_certificate(world.assignment, world.coordinator)


@pytest.fixture
def finished(world):
    world.certificate = certificate_for(world)
    return world


def issued(world, client):
    client.post(reverse("credentials:draft", args=[world.assignment.pk]))
    europass = EuropassMobility.objects.get(assignment=world.assignment)
    client.post(reverse("credentials:issue", args=[europass.pk]))
    europass.refresh_from_db()
    services.make_files(europass)  # the worker's part, here in the test's process
    return europass


# Drafting, reviewing, issuing


def test_the_draft_takes_the_activities_and_the_outcomes_the_mentor_rated(finished, client_for):
    client = client_for(finished.coordinator)
    response = client.post(reverse("credentials:draft", args=[finished.assignment.pk]))
    europass = EuropassMobility.objects.get(assignment=finished.assignment)
    assert response.status_code == 302 and response.url == reverse("credentials:edit", args=[europass.pk])
    assert europass.activities == "Changed the oil of a press\nCleaned the workshop"
    rated = [o["text"] for u in finished.certificate.data["units"] for o in u["outcomes"] if o["points"]]
    assert europass.job_skills.splitlines() == [line for line in europass.job_skills.splitlines() if line]
    assert len(europass.job_skills.splitlines()) == len(rated) >= 1
    assert all(text in europass.job_skills for text in rated)


def test_no_draft_before_the_stage_has_ended(world, client_for):
    soon = timezone.localdate() + timedelta(days=3)
    Placement.objects.filter(pk=world.placement.pk).update(start_date=soon - timedelta(days=25), end_date=soon)
    client = client_for(world.coordinator)
    response = client.post(reverse("credentials:draft", args=[world.assignment.pk]), follow=True)
    assert response.redirect_chain == [(reverse("credentials:flow", args=[world.placement.pk]), 302)]
    assert not EuropassMobility.objects.exists()
    page = response.content.decode()
    assert "can be issued from then on" in page and "documents can be drafted from then on" in page


def test_the_coordinator_edits_the_text_and_a_blank_activity_is_refused(finished, client_for):
    client = client_for(finished.coordinator)
    client.post(reverse("credentials:draft", args=[finished.assignment.pk]))
    europass = EuropassMobility.objects.get()
    url = reverse("credentials:edit", args=[europass.pk])
    response = client.post(url, {"activities": "", "job_skills": "Reads a drawing"})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    europass.refresh_from_db()
    assert europass.job_skills != "Reads a drawing"  # nothing half saved
    response = client.post(
        url, {"activities": "Oiled a press", "job_skills": "Reads a drawing", "digital_skills": "Tablet"}
    )
    assert response.status_code == 302
    europass.refresh_from_db()
    assert (europass.activities, europass.digital_skills) == ("Oiled a press", "Tablet")
    assert europass.history.count() >= 2  # who changed it is kept


def test_staff_read_the_review_but_cannot_change_or_issue(finished, client_for):
    client_for(finished.coordinator).post(reverse("credentials:draft", args=[finished.assignment.pk]))
    europass = EuropassMobility.objects.get()
    staff = client_for(finished.staff)
    assert staff.get(reverse("credentials:edit", args=[europass.pk])).status_code == 200
    assert (
        staff.post(reverse("credentials:edit", args=[europass.pk]), {"activities": "x", "job_skills": "y"}).status_code
        == 403
    )
    assert staff.post(reverse("credentials:issue", args=[europass.pk])).status_code == 403
    europass.refresh_from_db()
    assert europass.status == EuropassMobility.Status.DRAFT and europass.activities != "x"


def test_issuing_asks_first_freezes_the_text_and_makes_the_files(finished, client_for):
    client = client_for(finished.coordinator)
    client.post(reverse("credentials:draft", args=[finished.assignment.pk]))
    europass = EuropassMobility.objects.get()
    page = client.get(reverse("credentials:issue", args=[europass.pk])).content.decode()
    assert "freezes the text for good" in page
    europass.refresh_from_db()
    assert europass.status == EuropassMobility.Status.DRAFT  # opening the question issues nothing
    europass = issued(finished, client)
    assert europass.status == EuropassMobility.Status.ISSUED and europass.issued_by == finished.coordinator
    assert set(europass.files) == {"pdf-ro", "pdf-en", "elm"}
    response = client.post(reverse("credentials:edit", args=[europass.pk]), {"activities": "New", "job_skills": "New"})
    assert response.status_code == 400 and "can no longer change" in response.content.decode()


def test_the_pdf_in_romanian_and_english_prints_the_issued_text(finished, client_for, tmp_path):
    europass = issued(finished, client_for(finished.coordinator))
    storage = storages["private"]
    texts = {}
    for language in ("ro", "en"):
        path = tmp_path / f"{language}.pdf"
        with storage.open(europass.files[f"pdf-{language}"], "rb") as kept:
            path.write_bytes(kept.read())
        texts[language] = " ".join(run_tool("pdftotext", str(path), "-").split())
    english, romanian = texts["en"].lower(), texts["ro"].lower()
    assert "europass mobility" in english and "skills and competences acquired" in english
    assert "changed the oil of a press" in english and "țurcanu" in romanian
    assert "skills and competences acquired" not in romanian  # the Romanian one speaks Romanian


# The digital credential


def test_the_credential_passes_the_model_shapes_but_for_what_sealing_adds(finished, client_for):
    europass = issued(finished, client_for(finished.coordinator))
    with storages["private"].open(europass.files["elm"], "rb") as kept:
        document = json.loads(kept.read())
    assert elm.unexpected_violations(document) == []
    # An uploadable file lacks exactly what the Commission's issuer fills in when the school seals it.
    assert {path for path, _message in elm.violations(document)} == set(elm.FILLED_ON_SEALING)
    body = document["credential"]
    assert (
        body["credentialSubject"]["familyName"] == {"en": "Țurcanu"}
        or "Țurcanu" in body["credentialSubject"]["familyName"].values()
    )
    activity, achievement = body["credentialSubject"]["hasClaim"]
    assert activity["temporal"]["endDate"].startswith(finished.certificate.data["placement"]["end"])
    assert "proof" not in body  # never sealed here


def test_a_credential_missing_a_mandatory_part_fails_the_shapes(finished, client_for):
    europass = issued(finished, client_for(finished.coordinator))
    with storages["private"].open(europass.files["elm"], "rb") as kept:
        document = json.loads(kept.read())
    broken = copy.deepcopy(document)
    del broken["credential"]["credentialSubject"]["hasClaim"][0]["title"]
    assert any(path.endswith("/title") for path, _m in elm.unexpected_violations(broken))
    broken = copy.deepcopy(document)
    del broken["credential"]["credentialSubject"]["hasClaim"]
    assert any(path.endswith("hasClaim") for path, _m in elm.unexpected_violations(broken))


def test_the_same_issued_document_gives_the_same_credential(finished, client_for):
    europass = issued(finished, client_for(finished.coordinator))
    image = b"\x89PNG fixed"
    assert elm.credential(europass.data, display_image=image) == elm.credential(europass.data, display_image=image)


def test_the_flow_gives_every_issued_credential_in_one_zip(finished, client_for):
    client = client_for(finished.coordinator)
    issued(finished, client)
    response = client.get(reverse("credentials:flow_zip", args=[finished.placement.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    names = zipfile.ZipFile(
        io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    ).namelist()
    assert names == ["credential-Țurcanu-Ștefan.json"]
    page = client.get(reverse("credentials:flow", args=[finished.placement.pk])).content.decode()
    assert "Download 1 credential for the issuer (ZIP)" in page


def test_the_europass_centre_gets_the_fields_of_its_form(finished, client_for):
    client = client_for(finished.coordinator)
    europass = issued(finished, client)
    response = client.get(reverse("credentials:data", args=[europass.pk]))
    fields = json.loads(response.content)
    assert fields["holder"]["surname"] == "Țurcanu"
    assert fields["skills_and_competences"]["activities_and_tasks"] == [
        "Changed the oil of a press",
        "Cleaned the workshop",
    ]
    assert response["X-Content-Type-Options"] == "nosniff"


# The learner's own page


def test_the_learner_downloads_both_from_my_trip_and_nobody_else_does(finished, client_for, client):
    from .access_routes_preparation import a_link

    europass = issued(finished, client_for(finished.coordinator))
    token = a_link(finished).token
    page = client.get(reverse("trip:my_trip", args=[token])).content.decode()
    assert "Actele tale de la stagiu" in page and "Arată-le când cauți un loc de muncă." in page  # Romanian first
    page = client.get(reverse("trip:my_trip", args=[token]) + "?lang=en").content.decode()
    assert "Your papers from the stage" in page and "My library" in page
    for name in ("pdf-ro", "pdf-en", "elm"):
        response = client.get(reverse("credentials:learner_file", args=[token, name]))
        assert response.status_code == 200, name
        assert response["Cache-Control"] == "private, no-store"
    assert client.get(reverse("credentials:learner_file", args=["x" * 43, "pdf-ro"])).status_code == 404
    assert client.get(reverse("credentials:learner_file", args=[token, "data"])).status_code == 404
    assert europass.files


def test_my_trip_says_nothing_of_papers_before_they_are_issued(finished, client, client_for):
    from .access_routes_preparation import a_link

    token = a_link(finished).token
    page = client.get(reverse("trip:my_trip", args=[token])).content.decode()
    assert "/europass/" not in page and "Actele tale de la stagiu" not in page
    client_for(finished.coordinator).post(reverse("credentials:draft", args=[finished.assignment.pk]))
    page = client.get(reverse("trip:my_trip", args=[token])).content.decode()
    assert "/europass/" not in page  # a draft is the coordinator's, not yet the learner's


# Walls


def test_the_other_schools_coordinator_reaches_nothing(finished, client_for):
    from accounts.models import Role

    from .factories import UserFactory

    europass = issued(finished, client_for(finished.coordinator))
    elsewhere = SchoolFactory(name="Școala Profesională Vaslui")
    outsider = client_for(UserFactory(username="elsewhere", role=Role.COORDINATOR, school=elsewhere))
    for url in (
        reverse("credentials:flow", args=[finished.placement.pk]),
        reverse("credentials:edit", args=[europass.pk]),
        reverse("credentials:file", args=[europass.pk, "elm"]),
        reverse("credentials:data", args=[europass.pk]),
        reverse("credentials:flow_zip", args=[finished.placement.pk]),
    ):
        assert outsider.get(url).status_code == 404, url
    assert outsider.post(reverse("credentials:draft", args=[finished.other_assignment.pk])).status_code == 404
    assert outsider.post(reverse("credentials:make_files", args=[europass.pk])).status_code == 404


def test_the_flow_page_costs_the_same_with_more_learners(finished, client_for, django_assert_max_num_queries):
    client = client_for(finished.coordinator)
    url = reverse("credentials:flow", args=[finished.placement.pk])
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        response = client.get(url)
    assert response.status_code == 200 and "Țurcanu" in response.content.decode()
    for _n in range(5):
        AssignmentFactory(participant=ParticipantFactory(project=finished.project), placement=finished.placement)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200 and response.content.decode().count("<tr>") >= 7


def test_anonymising_the_learner_takes_the_names_and_files_away(
    finished, client_for, django_capture_on_commit_callbacks
):
    from datetime import date

    from privacy.services import anonymise

    europass = issued(finished, client_for(finished.coordinator))
    files = list(europass.files.values())
    with django_capture_on_commit_callbacks(execute=True):
        anonymise(finished.learner, finished.coordinator, today=date(2045, 1, 1))
    europass.refresh_from_db()
    assert "Țurcanu" not in json.dumps(europass.data, ensure_ascii=False)
    assert europass.files == {}
    assert not any(storages["private"].exists(path) for path in files)
