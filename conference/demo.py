"""The demo project's final conference: published, in the school's city, with an agenda, speakers and a dozen
registrations of every kind, local employers among them, the last two on the waiting list."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from placements.models import Project

from .models import AgendaItem, Event, Registration, Speaker

DEMO_REFERENCE = "2026-1-RO01-KA122-VET-000187412"
TITLE = "Second Chance at work: what two mobilities taught us"

AGENDA = [
    (time(9, 30), "Arrival and coffee", ""),
    (time(10, 0), "Welcome", "Mirela Constantinescu"),
    (time(10, 20), "Four weeks in Braga and Guimarães: the learners' story", "Learners of both flows"),
    (time(11, 0), "Mentoring Second Chance learners at the workplace", "Rui Gonçalves"),
    (time(11, 40), "Coffee break", ""),
    (time(12, 0), "Round table: local employers and the school", "Employers from Bacău county"),
    (time(13, 0), "Certificates and closing", "Ionuț Bălănescu"),
]

SPEAKERS = [
    ("Mirela Constantinescu", "Project coordinator", "Liceul Tehnologic „Ștefan cel Mare”", ""),
    ("Rui Gonçalves", "Workshop manager and mentor", "Metalúrgica do Cávado, Lda.", "Mentored 16 learners."),
    ("Joana Araújo", "Mobility officer", "Intercâmbio Minho", "Organised both placements in northern Portugal."),
    ("Ionuț Bălănescu", "Teacher, accompanying person", "Liceul Tehnologic „Ștefan cel Mare”", ""),
]

# name, email, organisation, type, local employer, accessibility needs
REGISTRATIONS = [
    ("Cristina Mocanu", "cristina.mocanu@example.ro", "SC Confecții Bacău SRL", "employer", True, ""),
    ("Dorin Țuțuianu", "dorin.tutuianu@example.ro", "Mecanica Siret SA", "employer", True, ""),
    ("Elena Șerban", "elena.serban@example.ro", "Inspectoratul Școlar Județean Bacău", "authority", False, ""),
    ("Florin Ardeleanu", "florin.ardeleanu@example.ro", "Liceul Tehnologic Onești", "school", False, ""),
    (
        "Gabriela Pătrașcu",
        "gabriela.patrascu@example.ro",
        "Asociația Romano Cher",
        "ngo",
        False,
        "Step-free access, please: I use a wheelchair.",
    ),
    ("Horia Vâlcu", "horia.valcu@example.ro", "Atelierele CFR Pașcani", "employer", False, ""),
    (
        "Ioana Bîrsan",
        "ioana.birsan@example.ro",
        "Agenția Județeană pentru Ocuparea Forței de Muncă",
        "authority",
        False,
        "",
    ),
    ("Lucian Gheorghiu", "lucian.gheorghiu@example.ro", "Textila Moldova SRL", "employer", True, ""),
    ("Maria Stoica", "maria.stoica@example.ro", "Școala Gimnazială nr. 5 Bacău", "school", False, ""),
    ("Nicolae Bălan", "nicolae.balan@example.ro", "", "other", False, ""),
    ("Oana Rusu", "oana.rusu@example.ro", "Service Auto Rusu", "employer", True, ""),
    ("Paul Dumitrescu", "paul.dumitrescu@example.ro", "Fundația Șanse Egale", "ngo", False, "Large print, please."),
]
CAPACITY = 10


@transaction.atomic
def load_conference():
    project = Project.objects.filter(reference=DEMO_REFERENCE).select_related("sending_organisation").first()
    if project is None:
        return None
    school = project.sending_organisation
    day = datetime(2027, 5, 20)
    event, created = Event.objects.get_or_create(
        project=project,
        title=TITLE,
        defaults={
            "starts_at": timezone.make_aware(datetime.combine(day, time(9, 30))),
            "ends_at": timezone.make_aware(datetime.combine(day, time(13, 30))),
            "venue": f"{school.name}, festivity hall",
            "address": school.address or "Strada Mioriței 12",
            "city": school.city,
            "description": (
                "The final conference of the project: the learners, their mentors in Portugal and the school "
                "tell what two four-week placements changed, and local employers discuss how they can host and "
                "hire the graduates of the Second Chance programme.\n\nThe hall has step-free access. The "
                "conference is in Romanian, with English interpretation."
            ),
            "capacity": CAPACITY,
            "registration_open": True,
            "published": True,
        },
    )
    if not created:
        return event
    AgendaItem.objects.bulk_create(
        AgendaItem(event=event, starts_at=at, title=title, speaker=speaker) for at, title, speaker in AGENDA
    )
    Speaker.objects.bulk_create(
        Speaker(event=event, name=name, role=role, organisation=org, bio=bio, position=index)
        for index, (name, role, org, bio) in enumerate(SPEAKERS)
    )
    registered = timezone.now() - timedelta(days=len(REGISTRATIONS))
    for index, (name, email, org, kind, local, needs) in enumerate(REGISTRATIONS):
        registration = Registration.objects.create(
            event=event,
            name=name,
            email=email,
            organisation=org,
            type=kind,
            local_employer=local,
            accessibility_needs=needs,
            status=Registration.Status.CONFIRMED if index < CAPACITY else Registration.Status.WAITING,
        )
        # One a day, so that the waiting list's order is the order of registering.
        Registration.objects.filter(pk=registration.pk).update(created_at=registered + timedelta(days=index))
    return event
