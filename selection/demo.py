"""The demo's 2026 call: 40 applicants for the two flows, scored by a committee of two, ranked; the 31 demo
participants are the selected (their applications point at them) and 5 more wait on the reserve list; two of
those brought documents (a school certificate, a support letter)."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from participants.models import Participant
from placements.models import Project

from . import services
from .models import Application, Call, CallFlow, CommitteeMember, Criterion, Score

CALL_TITLE = "Call for applications 2026: practice stages in Portugal"

CRITERIA = [
    # name, weight, descriptors (0 up to 4), fewer-opportunities priority
    (
        "Motivation",
        3,
        "0: none stated\n1: vague\n2: clear wish to go\n3: clear wish linked to the trade\n4: a plan for after",
        False,
    ),
    (
        "Interview",
        2,
        "0: did not come\n1: very unsure\n2: answered with help\n3: answered well\n4: asked own questions",
        False,
    ),
    ("Attendance at school this year", 2, "0: below 50%\n1: 50-69%\n2: 70-84%\n3: 85-94%\n4: 95% or more", False),
    ("Priority for fewer opportunities", 2, "", True),
]

# Applicants who are not among the 31: the reserve list first (best scores), then those not selected.
OTHERS = {
    "Maintenance mechanic": [
        ("Cosmin", "Lingurar", "male", "2006-04-11", "reserve"),
        ("Irina", "Ciurar", "female", "2007-01-23", "reserve"),
        ("Laurențiu", "Zlătaru", "male", "2005-09-30", "reserve"),
        ("Sorin", "Băieșu", "male", "2006-07-14", "not_selected"),
        ("Marian", "Fieraru", "male", "2004-02-02", "not_selected"),
    ],
    "Textile and leather products manufacturing": [
        ("Loredana", "Rudaru", "female", "2006-12-05", "reserve"),
        ("Nicoleta", "Argintaru", "female", "2007-03-17", "reserve"),
        ("Ramona", "Căldărar", "female", "2005-05-21", "not_selected"),
        ("Elisabeta", "Ursaru", "female", "2010-08-08", "ineligible"),
    ],
}
SCORES = {"selected": (4, 3), "reserve": (2, 2), "not_selected": (1, 0)}


def load_selection():
    project = Project.objects.filter(reference="2026-1-RO01-KA122-VET-000187412").first()
    if project is None or Call.objects.filter(project=project, title=CALL_TITLE).exists():
        return
    with transaction.atomic():
        _load(project)


def _load(project):
    call = Call.objects.create(
        project=project,
        title=CALL_TITLE,
        text_ro=(
            "Școala organizează selecția a 31 de elevi din programul „A doua șansă” pentru două stagii de practică "
            "de 4 săptămâni în Portugalia: 16 locuri pentru mecanic de întreținere (Braga) și 15 locuri pentru "
            "confecționer produse textile și din piele (Guimarães). Călătoria, cazarea, masa și asigurarea sunt "
            "plătite din proiect."
        ),
        text_en=(
            "The school selects 31 learners of the Second Chance programme for two 4-week practice stages in "
            "Portugal: 16 places for maintenance mechanics (Braga) and 15 for textile and leather products "
            "manufacturing (Guimarães). Travel, accommodation, meals and insurance are paid by the project."
        ),
        plain_ro=(
            "Poți merge 4 săptămâni la muncă în Portugalia.\nÎnveți meseria într-o firmă adevărată.\n"
            "Nu plătești nimic.\nProfesorii merg cu voi."
        ),
        plain_en=(
            "You can go to work in Portugal for 4 weeks.\nYou learn your trade in a real company.\n"
            "You pay nothing.\nTeachers go with you."
        ),
        eligibility=(
            "Enrolled in the Second Chance programme in the qualification of the flow.\n"
            "At least 16 years old at departure.\nA parent's consent for learners under 18."
        ),
        min_age=16,
        opens_on=date(2026, 9, 7),
        closes_on=date(2026, 9, 25),
        interviews_on=date(2026, 9, 30),
        decision_on=date(2026, 10, 5),
        appeals_until=date(2026, 10, 9),
        appeal_route=(
            "Write to the school's director within 3 working days of the decision letter, at the school's office "
            "or by email. The committee answers within 3 working days."
        ),
        published=True,
    )
    criteria = [
        Criterion.objects.create(
            call=call, name=name, weight=weight, max_score=4, descriptors=text, fewer_opportunities=auto, position=i
        )
        for i, (name, weight, text, auto) in enumerate(CRITERIA)
    ]
    members = [
        CommitteeMember.objects.create(call=call, user=user)
        for user in User.objects.filter(username__in=["coordinator", "staff"])
    ]
    received = timezone.make_aware(datetime(2026, 9, 10, 10, 0))
    selected = []
    for placement in project.placements.select_related("qualification").order_by("start_date"):
        others = OTHERS[placement.qualification.name]
        reserve = sum(1 for row in others if row[4] == "reserve")
        participants = list(
            Participant.objects.filter(project=project, assignments__placement=placement).order_by("pk")
        )
        CallFlow.objects.create(call=call, placement=placement, places=len(participants), reserve_places=reserve)
        rows = [(p.first_name, p.last_name, p.gender, p.date_of_birth, "selected", p) for p in participants]
        rows += [(f, last, g, date.fromisoformat(born), kind, None) for f, last, g, born, kind in others]
        for number, (first, last, gender, born, kind, participant) in enumerate(rows):
            application = Application.objects.create(
                call=call,
                placement=placement,
                first_name=first,
                last_name=last,
                date_of_birth=born,
                gender=gender,
                qualification=placement.qualification,
                phone=f"+40 745 {number:03d} {len(selected):03d}",
                fewer_opportunities=kind != "not_selected" or number % 2 == 0,
                motivation="Vreau să învăț meseria și să lucrez." if number % 3 else "",
                entered_by=members[0].user if number % 4 else None,
                status=Application.Status.INELIGIBLE if kind == "ineligible" else Application.Status.RECEIVED,
                ineligible_reason="Younger than 16 at departure." if kind == "ineligible" else "",
            )
            Application.objects.filter(pk=application.pk).update(created_at=received)
            if kind == "ineligible":
                continue
            high, low = SCORES[kind]
            for member_number, member in enumerate(members):
                for criterion in criteria:
                    if not criterion.fewer_opportunities:
                        value = high if (number + member_number + criterion.pk) % 3 else low
                        Score.objects.create(member=member, application=application, criterion=criterion, value=value)
            if participant is not None:
                selected.append((application.pk, participant.pk))
    services.decide_ranking(call_id=call.pk)
    # The 31 are the demo's participants already: link their applications instead of making them again.
    for application_pk, participant_pk in selected:
        Application.objects.filter(pk=application_pk).update(participant_id=participant_pk)
    coordinator = members[0].user if members else None
    Call.objects.filter(pk=call.pk).update(
        confirmed_at=timezone.make_aware(datetime(2026, 10, 5, 12, 0)), confirmed_by=coordinator
    )
    CommitteeMember.objects.filter(call=call).update(signed_minutes_at=timezone.make_aware(datetime(2026, 10, 5, 11)))
    _attach_demo_documents(call, coordinator)


def _attach_demo_documents(call, coordinator):
    """The first two on the reserve list brought a school certificate; one a support letter from a social worker:
    kept through the same upload check as every file (services.attach_document)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents.rendering import write_pdf

    if coordinator is None:
        return
    reserve = list(call.applications.filter(status=Application.Status.RESERVE).order_by("placement_id", "rank")[:2])
    for application in reserve:
        pdf = write_pdf(
            f"<h1>Adeverință</h1><p>{application.full_name} este elev(ă) înscris(ă) în programul „A doua șansă”, "
            f"calificarea {application.qualification}.</p>",
            print_css=False,
        )
        services.attach_document(
            application_id=application.pk,
            kind="school_certificate",
            description="Adeverință de elev",
            upload=SimpleUploadedFile("adeverinta.pdf", pdf),
            user_id=coordinator.pk,
        )
    if reserve:
        letter = write_pdf("<h1>Scrisoare de susținere</h1><p>Recomand participarea la stagiu.</p>", print_css=False)
        services.attach_document(
            application_id=reserve[0].pk,
            kind="support_letter",
            description="Asistentul social al comunității",
            upload=SimpleUploadedFile("scrisoare.pdf", letter),
            user_id=coordinator.pk,
        )
