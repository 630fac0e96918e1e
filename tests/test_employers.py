"""Employers and partners: profiles, contacts, offers, introductions only with consent, agreements with the
dashboard's warning before renewal, the partners who agreed to be named on the public site."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from common.exceptions import NotAllowed
from employers import services
from employers.models import Agreement, ContactEvent, Introduction, Offer, PartnerProfile
from participants.models import Participant
from placements.models import Assignment, Placement

from .factories import OrganisationFactory
from .sites import on_site


@pytest.fixture
def employer(world):
    end = timezone.localdate() - timedelta(days=30)
    Placement.objects.update(start_date=end - timedelta(days=25), end_date=end)
    Assignment.objects.update(status="completed")
    Participant.objects.update(consent_data_processing_on=date(2026, 1, 1))
    return OrganisationFactory(name="Mecanica Siret SA", kind=Organisation.Kind.EMPLOYER, country="RO", city="Bacău")


def introduce(world, employer, client_for, **data):
    return client_for(world.coordinator).post(
        reverse("employers:introduce", args=[employer.pk]),
        {"participant": world.learner.pk, "introduced_on": timezone.localdate().isoformat(), **data},
    )


def test_an_introduction_without_consent_is_refused(world, employer, client_for):
    response = introduce(world, employer, client_for)
    assert response.status_code == 400
    assert "only with their consent" in response.content.decode()
    assert not Introduction.objects.exists()
    with pytest.raises(NotAllowed):
        services.introduce(
            organisation_id=employer.pk,
            participant_id=world.learner.pk,
            consent=False,
            consent_on=None,
            by_id=world.coordinator.pk,
        )


def test_an_introduction_with_consent_is_recorded_with_who_and_when(world, employer, client_for):
    offer = Offer.objects.create(
        organisation=employer, qualification=world.placement.qualification, title="Junior mechanic"
    )
    day = timezone.localdate().isoformat()
    response = introduce(world, employer, client_for, consent="on", consent_on=day, offer=offer.pk)
    assert response.status_code == 302
    introduction = Introduction.objects.get()
    assert introduction.consent_recorded_by == world.coordinator and introduction.offer == offer
    client_for(world.coordinator).post(reverse("employers:outcome", args=[introduction.pk]), {"outcome": "hired"})
    assert Introduction.objects.get().outcome == "hired"


def test_a_learner_without_consent_to_processing_cannot_be_introduced(world, employer):
    Participant.objects.filter(pk=world.learner.pk).update(consent_data_processing_withdrawn_on=date(2026, 2, 1))
    with pytest.raises(NotAllowed):
        services.introduce(
            organisation_id=employer.pk,
            participant_id=world.learner.pk,
            consent=True,
            consent_on=timezone.localdate(),
            by_id=world.coordinator.pk,
        )


def test_only_graduates_are_offered_for_introduction(world, employer):
    Assignment.objects.filter(pk=world.other_assignment.pk).update(status="withdrawn", withdrawal_reason="Ill")
    assert list(services.graduates()) == [world.learner]


def test_contact_history_and_profile(world, employer, client_for):
    client = client_for(world.coordinator)
    client.post(
        reverse("employers:contact_add", args=[employer.pk]),
        {"happened_on": "2026-10-01", "kind": "visit", "summary": "Visited the workshop"},
    )
    client.post(
        reverse("employers:profile", args=[employer.pk]),
        {"sector": "Machinery", "qualifications": [world.placement.qualification_id], "offers_jobs": "on"},
    )
    assert ContactEvent.objects.get().recorded_by == world.coordinator
    profile = PartnerProfile.objects.get(organisation=employer)
    assert profile.offers_jobs and list(profile.qualifications.all()) == [world.placement.qualification]
    page = client_for(world.staff).get(reverse("employers:detail", args=[employer.pk])).content.decode()
    assert "Visited the workshop" in page and "Machinery" in page


def test_the_dashboard_warns_before_an_agreement_lapses(world, employer, client_for):
    today = timezone.localdate()
    Agreement.objects.create(
        organisation=employer,
        title="Hiring graduates",
        scope="Interviews every spring",
        starts_on=today - timedelta(days=300),
        ends_on=today + timedelta(days=90),
        renewal_due_on=today + timedelta(days=30),
    )
    Agreement.objects.create(
        organisation=employer,
        title="Far away",
        scope="-",
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=900),
        renewal_due_on=today + timedelta(days=700),
    )
    page = client_for(world.coordinator).get(reverse("dashboard")).content.decode()
    assert "“Hiring graduates” with Mecanica Siret SA is due for renewal" in page
    assert "Far away" not in page


def test_the_public_site_names_only_partners_who_agreed(world, employer, client, forget_cache):
    other = OrganisationFactory(name="Confecții Bacău SRL", kind=Organisation.Kind.EMPLOYER, country="RO")
    PartnerProfile.objects.create(organisation=employer, sector="Machinery", public_listing_agreed_on=date(2026, 5, 1))
    PartnerProfile.objects.create(organisation=other, sector="Textiles")
    forget_cache()
    page = client.get(on_site("public:home")).content.decode()
    assert "Mecanica Siret SA" in page and "Confecții Bacău SRL" not in page


def test_anonymisation_drops_introduction_notes(world, employer):
    from privacy.services import anonymise

    services.introduce(
        organisation_id=employer.pk,
        participant_id=world.learner.pk,
        consent=True,
        consent_on=timezone.localdate(),
        by_id=world.coordinator.pk,
        note="Ștefan prefers mornings",
    )
    project = world.project
    project.start_date, project.end_date = date(2015, 9, 1), date(2017, 2, 28)
    project.save()
    anonymise(world.learner, world.coordinator)
    assert Introduction.objects.get().note == ""
    assert not Introduction.history.exclude(note="").exists()


def test_employer_list_query_count_does_not_grow(world, employer, client_for):
    from .test_queries import count_queries

    client = client_for(world.staff)
    url = reverse("employers:list")

    def add(n, start):
        for i in range(start, start + n):
            org = OrganisationFactory(name=f"Employer {i}", kind=Organisation.Kind.EMPLOYER, country="RO")
            PartnerProfile.objects.create(organisation=org, sector="S").qualifications.add(
                world.placement.qualification
            )
            Offer.objects.create(organisation=org, qualification=world.placement.qualification, title="Job")

    add(3, 0)
    small = count_queries(client, url, "Employer 2")
    add(20, 3)
    assert count_queries(client, url, "Employer 22") == small


def test_agreement_list_and_partner_page_query_counts_do_not_grow(world, employer, client_for):
    from .test_queries import count_queries

    client = client_for(world.staff)
    today = timezone.localdate()

    def add(n, start):
        for i in range(start, start + n):
            org = OrganisationFactory(name=f"Partner {i}", kind=Organisation.Kind.EMPLOYER, country="RO")
            for target in (org, employer):
                Agreement.objects.create(
                    organisation=target,
                    title=f"A{i}",
                    scope="-",
                    starts_on=today - timedelta(days=10),
                    ends_on=today + timedelta(days=40 + i),
                    renewal_due_on=today + timedelta(days=20),
                )
            offer = Offer.objects.create(organisation=employer, qualification=world.placement.qualification, title="J")
            ContactEvent.objects.create(organisation=employer, happened_on=today, kind="call", summary="s")
            Introduction.objects.create(
                organisation=employer,
                offer=offer,
                participant=world.learner,
                consent_on=today,
                consent_recorded_by=world.coordinator,
                introduced_on=today,
            )

    for url in (reverse("employers:agreements"), reverse("employers:detail", args=[employer.pk])):
        add(2, 0 if "agreements" in url else 100)
        small = count_queries(client, url, "A1" if "agreements" in url else "A101")
        add(15, 20 if "agreements" in url else 200)
        assert count_queries(client, url, "A34" if "agreements" in url else "A214") == small, url
