"""The demo's partnership: five local employers in Bacău county with profiles, contacts, offers for both
qualifications, two agreements (one due for renewal soon, so the dashboard shows the warning) and the partners
who agreed to be named on the public site. Idempotent."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from placements.demo import SCHOOL
from placements.models import ContactPerson, Qualification

from .models import Agreement, ContactEvent, Offer, PartnerProfile

MECHANIC = "Maintenance mechanic"
TEXTILE = "Textile and leather products manufacturing"

# name, city, sector, qualification, commitments (jobs, interviews, visits), named publicly, contact person
EMPLOYERS = [
    (
        "Service Auto Moldova SRL",
        "Bacău",
        "Vehicle and machinery repair",
        MECHANIC,
        (True, True, True),
        True,
        "Cristian Pârvu",
    ),
    ("Agro-Service Moinești SRL", "Moinești", "Farm machinery", MECHANIC, (True, False, True), True, "Gabriel Oprea"),
    ("Confecții Siret SRL", "Bacău", "Clothing", TEXTILE, (True, True, False), True, "Cristina Mocanu"),
    ("Pielărie Onești SRL", "Onești", "Leather goods", TEXTILE, (False, True, True), False, "Ionela Rusu"),
    (
        "Termo-Instal Comănești SRL",
        "Comănești",
        "Heating installations",
        MECHANIC,
        (False, True, False),
        False,
        "Vasile Ene",
    ),
]

OFFERS = [
    ("Service Auto Moldova SRL", "job", "Maintenance mechanic, workshop", MECHANIC, 2),
    ("Agro-Service Moinești SRL", "apprenticeship", "Apprentice, tractor service", MECHANIC, 1),
    ("Confecții Siret SRL", "job", "Sewing machine operator", TEXTILE, 3),
    ("Pielărie Onești SRL", "apprenticeship", "Apprentice leather cutter", TEXTILE, 2),
    ("Termo-Instal Comănești SRL", "job", "Installer's helper", MECHANIC, 1),
]


@transaction.atomic
def load_employers():
    if Offer.objects.filter(organisation__name=EMPLOYERS[0][0]).exists():
        return
    today = timezone.localdate()
    coordinator = User.objects.filter(username="coordinator").first()
    qualifications = {q.name: q for q in Qualification.objects.filter(name__in=[MECHANIC, TEXTILE])}
    school = Organisation.objects.filter(name=SCHOOL).first()
    organisations = {}
    for name, city, sector, qualification, (jobs, interviews, visits), listed, person in EMPLOYERS:
        organisation, _created = Organisation.objects.get_or_create(
            name=name, defaults={"kind": Organisation.Kind.EMPLOYER, "country": "RO", "city": city}
        )
        organisations[name] = organisation
        if school is not None:
            school.address_book.add(organisation)
        ContactPerson.objects.get_or_create(organisation=organisation, name=person, defaults={"position": "Manager"})
        profile, _created = PartnerProfile.objects.get_or_create(
            organisation=organisation,
            defaults={
                "sector": sector,
                "offers_jobs": jobs,
                "offers_interviews": interviews,
                "hosts_visits": visits,
                "public_listing_agreed_on": date(2026, 10, 1) if listed else None,
            },
        )
        if qualification in qualifications:
            profile.qualifications.add(qualifications[qualification])
        ContactEvent.objects.create(
            organisation=organisation,
            happened_on=date(2026, 10, 15),
            kind=ContactEvent.Kind.VISIT,
            summary="Presented the project; they will interview graduates after the stage.",
            recorded_by=coordinator,
        )
    for name, kind, title, qualification, places in OFFERS:
        if qualification in qualifications:
            Offer.objects.create(
                organisation=organisations[name],
                qualification=qualifications[qualification],
                kind=kind,
                title=title,
                places=places,
                open_until=today + timedelta(days=120),
            )
    Agreement.objects.create(
        organisation=organisations["Service Auto Moldova SRL"],
        title="Hiring and work visits for Second Chance graduates",
        scope="Interviews for every graduate of the maintenance flow; two workshop visits a year.",
        starts_on=date(2025, 12, 15),
        ends_on=today + timedelta(days=75),
        renewal_due_on=today + timedelta(days=40),  # due soon: the dashboard warns
    )
    receiving = Organisation.objects.filter(kind=Organisation.Kind.RECEIVING, schools=school).order_by("pk").first()
    if receiving is not None:
        Agreement.objects.create(
            organisation=receiving,
            title="Memorandum of understanding for future mobilities",
            scope="Finding host companies, accommodation and mentoring for two flows a year.",
            starts_on=date(2026, 9, 1),
            ends_on=date(2029, 8, 31),
            renewal_due_on=date(2029, 3, 1),
        )
        PartnerProfile.objects.get_or_create(
            organisation=receiving, defaults={"public_listing_agreed_on": date(2026, 9, 1), "sector": "Mobility"}
        )
