"""Retention of the public's contact details: conference registrants' and exchange submitters' names and
addresses go CONTACT_DETAILS_RETENTION_MONTHS after the conference / the moderation, in the daily task; the
figures the final report and the public pages show do not change, and younger records are left alone."""

from datetime import datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from conference.models import Event, Registration
from conference.services import figures
from documents.models import DocumentJob
from outbox.models import OutgoingMessage
from privacy.services import add_months, remove_expired_contact_details
from privacy.tasks import apply_retention_rules
from public.models import Submission
from public.services import dissemination_entries
from reports.final_report import report_data

Status = Registration.Status
NOW = timezone.make_aware(datetime(2028, 6, 15, 12, 0))


def an_event(world, ended_days_ago, title):
    ends = NOW - timedelta(days=ended_days_ago)
    return Event.objects.create(
        project=world.project,
        title=title,
        starts_at=ends - timedelta(hours=4),
        ends_at=ends,
        venue="Sala de festivități",
        address="Strada Mioriței 12",
        city="Bacău",
        capacity=2,
        published=True,
    )


def register(event, name, **fields):
    return Registration.objects.create(
        event=event,
        name=name,
        email=f"{name.split()[0].lower()}{event.pk}@example.ro",
        organisation="Confecții Bacău",
        accessibility_needs="Step-free access",
        type=fields.pop("type", Registration.Type.EMPLOYER),
        status=fields.pop("status", Status.CONFIRMED),
        **fields,
    )


def a_submission(decided_days_ago, status=Submission.Status.APPROVED, **fields):
    from placements.models import Project

    return Submission.objects.create(
        project=fields.pop("project", None) or Project.objects.order_by("pk").first(),
        organisation=fields.pop("organisation", "Escola Profissional"),
        country="PT",
        contact_name="Ana Ribeiro",
        email="ana@example.org",
        title="Buddy learners",
        topic="inclusion",
        text="Each newcomer works beside a buddy.",
        status=status,
        client_key="k" * 64,
        submitted_at=NOW - timedelta(days=decided_days_ago + 3),
        moderated_at=None if status == Submission.Status.PENDING else NOW - timedelta(days=decided_days_ago),
    )


@pytest.fixture
def conference(world):
    """An old conference (ended 13 months before NOW) with every kind of registrant, and a recent one."""
    old = an_event(world, 400, "Second Chance at work")
    register(old, "Ana Pop", local_employer=True, checked_in_at=NOW - timedelta(days=400))
    register(old, "Dan Pop", type=Registration.Type.SCHOOL, checked_in_at=NOW - timedelta(days=400))
    register(old, "Eva Pop", status=Status.WAITING)
    register(old, "Ion Pop", status=Status.CANCELLED, cancelled_at=NOW - timedelta(days=420))
    recent = an_event(world, 300, "Second Chance, the sequel")
    register(recent, "Lia Pop", type=Registration.Type.NGO, checked_in_at=NOW - timedelta(days=300))
    return old, recent


def test_the_final_reports_conference_and_dissemination_figures_do_not_change(world, conference):
    a_submission(400)
    a_submission(400, organisation="Liceul Tehnologic")
    a_submission(400, status=Submission.Status.REJECTED)
    before = report_data(world.project, today=NOW.date())

    remove_expired_contact_details(now=NOW)

    after = report_data(world.project, today=NOW.date())
    assert after["conference"] == before["conference"]
    assert after["dissemination"] == before["dissemination"]
    assert before["conference"]["total"] == {"registered": 4, "attended": 3}
    assert any(entry["reached"] == 2 for entry in before["dissemination"])  # two organisations in the exchange


def test_the_event_pages_counts_do_not_change(world, conference, client, client_for):
    old, _recent = conference
    coordinator = client_for(world.coordinator)
    before = coordinator.get(reverse("conference:manage_event", args=[old.pk])).context
    counts, attended, places = before["counts"], before["attended"], before["places_left"]

    remove_expired_contact_details(now=NOW)

    after = coordinator.get(reverse("conference:manage_event", args=[old.pk])).context
    assert (after["counts"], after["attended"], after["places_left"]) == (counts, attended, places)
    assert figures(world.project)["local_employers"] == {"registered": 1, "attended": 1}


def test_registrants_contact_details_go_a_year_after_the_conference(world, conference):
    old, recent = conference
    removed = remove_expired_contact_details(now=NOW)

    assert removed["registrations"] == 4
    for registration in Registration.objects.filter(event=old):
        assert (registration.name, registration.email, registration.organisation) == ("", "", "")
        assert registration.accessibility_needs == "" and registration.details_removed_at == NOW
    kept = Registration.objects.get(event=recent)
    assert (kept.name, kept.email, kept.accessibility_needs) == (
        "Lia Pop",
        f"lia{recent.pk}@example.ro",
        "Step-free access",
    )
    assert kept.details_removed_at is None


def test_the_registration_list_says_the_details_were_removed(world, conference, client_for):
    old, _recent = conference
    remove_expired_contact_details(now=NOW)
    html = client_for(world.coordinator).get(reverse("conference:registrations", args=[old.pk])).content.decode()
    assert "Contact details removed" in html and "Ana Pop" not in html


def test_the_limit_is_a_setting(world, conference, settings):
    settings.CONTACT_DETAILS_RETENTION_MONTHS = 6
    assert remove_expired_contact_details(now=NOW)["registrations"] == 5


def test_running_the_rule_again_changes_nothing(world, conference):
    remove_expired_contact_details(now=NOW)
    assert remove_expired_contact_details(now=NOW + timedelta(days=1)) == {"registrations": 0, "submissions": 0}


def test_a_certificate_of_attendance_and_the_mail_to_the_registrant_go_with_the_details(
    world, conference, django_capture_on_commit_callbacks
):
    old, _recent = conference
    ana = Registration.objects.get(name="Ana Pop")
    storage = storages["private"]
    path = storage.save("documents/1/certificate-ana-pop.pdf", ContentFile(b"%PDF-1.4 Ana Pop"))
    job = DocumentJob.objects.create(
        kind=DocumentJob.Kind.CONFERENCE_CERTIFICATE,
        params={"registration": ana.pk},
        title="Certificate of attendance of Ana Pop",
        requested_by=world.coordinator,
        file=path,
    )
    OutgoingMessage.objects.create(
        to=ana.email,
        subject="Your place",
        body="Dear Ana Pop",
        purpose="conference_registration",
        reference=f"conference.registration:{ana.pk}",
    )
    kept = OutgoingMessage.objects.create(
        to="lia@example.ro",
        subject="Your place",
        body="Dear Lia Pop",
        purpose="conference_registration",
        reference=f"conference.registration:{Registration.objects.get(name='Lia Pop').pk}",
    )

    with django_capture_on_commit_callbacks(execute=True):
        remove_expired_contact_details(now=NOW)

    job.refresh_from_db()
    assert job.file == "" and "Ana" not in job.title
    assert not storage.exists(path)
    assert list(OutgoingMessage.objects.all()) == [kept]


def test_submitters_contact_details_go_a_year_after_the_decision(world):
    approved = a_submission(400)
    rejected = a_submission(400, status=Submission.Status.REJECTED)
    recent = a_submission(300)
    pending = a_submission(400, status=Submission.Status.PENDING)

    assert remove_expired_contact_details(now=NOW)["submissions"] == 2

    for submission in (approved, rejected):
        submission.refresh_from_db()
        assert (submission.contact_name, submission.email, submission.client_key) == ("", "", "")
        assert (submission.organisation, submission.country.code, submission.title) == (
            "Escola Profissional",
            "PT",
            "Buddy learners",
        )
    for submission in (recent, pending):
        submission.refresh_from_db()
        assert (submission.contact_name, submission.email) == ("Ana Ribeiro", "ana@example.org")
        assert submission.details_removed_at is None


def test_the_exchange_entry_of_the_report_does_not_change(world):
    a_submission(400)
    a_submission(400, organisation="Liceul Tehnologic")
    before = dissemination_entries(world.project)
    remove_expired_contact_details(now=NOW)
    assert dissemination_entries(world.project) == before


def test_the_daily_task_applies_the_rule(world, conference, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    result = apply_retention_rules()
    assert result["registrations"] == 4
    assert Registration.objects.filter(details_removed_at__isnull=False).count() == 4


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2027, 5, 31), -12, datetime(2026, 5, 31)),
        (datetime(2028, 3, 31), -1, datetime(2028, 2, 29)),
        (datetime(2027, 1, 15), -13, datetime(2025, 12, 15)),
        (datetime(2027, 12, 1), 1, datetime(2028, 1, 1)),
    ],
)
def test_adding_months_keeps_the_day_or_takes_the_months_last(moment, months, expected):
    assert add_months(moment, months) == expected
