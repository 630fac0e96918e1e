"""The demo project: the school's real project shape with invented people and companies.

Idempotent: every object is found by its natural key before it is created, so loading twice
changes nothing, and nothing a coordinator edited afterwards is overwritten.
"""

from datetime import date, timedelta

from django.db import transaction

from accounts.demo import DEMO_PASSWORD
from accounts.models import Membership, Organisation, Role, User
from common.locales import language_of_country, zone_name_of_country
from participants.models import Barrier, Participant

from .models import Assignment, ContactPerson, Placement, Project, Qualification

ACCOUNTS = [
    # username, first name, last name, role, organisation name (for mentors)
    ("coordinator", "Mirela", "Constantinescu", Role.COORDINATOR, None),
    ("staff", "Gheorghe", "Munteanu", Role.STAFF, None),
    ("mentor.braga", "Rui", "Gonçalves", Role.MENTOR, "Metalúrgica do Cávado, Lda."),
    ("mentor.guimaraes", "Conceição", "Magalhães", Role.MENTOR, "Têxteis Guimarães, S.A."),
]

SCHOOL = "Liceul Tehnologic „Ștefan cel Mare” (demo)"
ORGANISATIONS = [
    # name, kind, OID, country, city, address, contacts [(name, position, email, phone)]
    (
        SCHOOL,
        Organisation.Kind.SENDING,
        "E10000101",
        "RO",
        "Bacău",
        "Strada Mioriței 12",
        [
            ("Mirela Constantinescu", "Project coordinator", "coordonator@example.ro", "+40 234 000 101"),
            ("Ionuț Bălănescu", "Teacher, accompanying person", "ionut.balanescu@example.ro", "+40 744 000 102"),
            ("Adriana Țăranu", "Teacher, accompanying person", "adriana.taranu@example.ro", "+40 744 000 103"),
        ],
    ),
    (
        "Intercâmbio Minho – Associação para a Mobilidade",
        Organisation.Kind.RECEIVING,
        "E10000202",
        "PT",
        "Braga",
        "Rua do Souto 45",
        [("Joana Araújo", "Mobility officer", "joana.araujo@example.pt", "+351 253 000 202")],
    ),
    (
        "Metalúrgica do Cávado, Lda.",
        Organisation.Kind.HOST,
        "",
        "PT",
        "Braga",
        "Zona Industrial de Celeirós, Lote 7",
        [("Rui Gonçalves", "Workshop manager, mentor", "rui.goncalves@example.pt", "+351 253 000 301")],
    ),
    (
        "Têxteis Guimarães, S.A.",
        Organisation.Kind.HOST,
        "",
        "PT",
        "Guimarães",
        "Avenida Conde Margaride 210",
        [
            (
                "Conceição Magalhães",
                "Production supervisor, mentor",
                "conceicao.magalhaes@example.pt",
                "+351 253 000 401",
            )
        ],
    ),
    ("Couros e Confecções do Ave, Lda.", Organisation.Kind.HOST, "", "PT", "Vizela", "Rua da Ponte 3", []),
    (
        "Service Auto Moldova SRL",
        Organisation.Kind.EMPLOYER,
        "",
        "RO",
        "Bacău",
        "Calea Moldovei 88",
        [("Cristian Pârvu", "Owner", "contact@example.ro", "+40 234 000 501")],
    ),
    ("Confecții Siret SRL", Organisation.Kind.EMPLOYER, "", "RO", "Bacău", "Strada Țesătorilor 4", []),
]

MECHANIC = "Maintenance mechanic"
TEXTILE = "Textile and leather products manufacturing"

# first name, last name, gender, date of birth; 16 maintenance mechanics, then 15 textile and leather learners
LEARNERS = {
    MECHANIC: [
        ("Ștefan", "Lăcătuș", "male", "2008-03-14"),
        ("Ionuț", "Căldăraru", "male", "2007-11-02"),
        ("Florin", "Rostaș", "male", "2006-05-21"),
        ("Răzvan", "Dumitrescu", "male", "2008-09-30"),
        ("Marian", "Stoica", "male", "2005-01-17"),
        ("Costel", "Lingurar", "male", "2004-07-08"),
        ("Dănuț", "Ciurar", "male", "2007-12-12"),
        ("Mihăiță", "Vătafu", "male", "2008-02-25"),
        ("Petrică", "Zlătaru", "male", "2003-10-05"),
        ("Sorin", "Bălan", "male", "2006-08-19"),
        ("Viorel", "Duminică", "male", "2002-04-03"),
        ("Cosmin", "Țurcanu", "male", "2007-06-11"),
        ("Bianca", "Oprea", "female", "2008-01-29"),
        ("Denisa", "Mihai", "female", "2007-03-07"),
        ("Nicoleta", "Constantin", "female", "2006-12-15"),
        ("Gheorghița", "Lăcătuș", "female", "2005-09-23"),
    ],
    TEXTILE: [
        ("Mădălina", "Stănescu", "female", "2007-05-06"),
        ("Andreea", "Căldăraru", "female", "2008-04-18"),
        ("Cătălina", "Rostaș", "female", "2006-02-09"),
        ("Alina", "Dinu", "female", "2005-11-27"),
        ("Ramona", "Ciurar", "female", "2004-06-14"),
        ("Loredana", "Zlătaru", "female", "2007-08-01"),
        ("Roxana", "Vătafu", "female", "2008-10-10"),
        ("Elena", "Lingurar", "female", "2003-03-22"),
        ("Georgiana", "Bălan", "female", "2006-07-16"),
        ("Lăcrămioara", "Duminică", "female", "2002-12-04"),
        ("Florentina", "Șerban", "female", "2007-01-13"),
        ("Marius", "Oprea", "male", "2006-09-09"),
        ("Iulian", "Stoica", "male", "2005-05-28"),
        ("Narcis", "Pătrașcu", "male", "2008-06-20"),
        ("Daniel", "Mihai", "male", "2007-02-02"),
    ],
}

PLACEMENTS = [
    # title, qualification, city, start, end, status, host company, mentor username, assignment status
    (
        "Flow 1 – Maintenance mechanic, Braga",
        MECHANIC,
        "Braga",
        date(2026, 11, 16),
        date(2026, 12, 11),
        Placement.Status.ONGOING,
        "Metalúrgica do Cávado, Lda.",
        "mentor.braga",
        Assignment.Status.IN_PLACEMENT,
    ),
    (
        "Flow 2 – Textile and leather, Guimarães",
        TEXTILE,
        "Guimarães",
        date(2027, 3, 1),
        date(2027, 3, 26),
        Placement.Status.PREPARING,
        "Têxteis Guimarães, S.A.",
        "mentor.guimaraes",
        Assignment.Status.CONFIRMED,
    ),
]

TASKS = {
    MECHANIC: (
        "Daily inspection and lubrication of production machines, following the maintenance plan\n"
        "Replacing bearings, belts and filters under the mentor's supervision\n"
        "Measuring and marking out parts; cutting, filing and drilling at the bench\n"
        "Lock-out and tag-out before work on a machine; keeping the work area safe and clean\n"
        "Recording the work done in the maintenance log"
    ),
    TEXTILE: (
        "Preparing fabric and leather: laying out, marking and cutting to patterns\n"
        "Sewing seams and assembling parts on industrial machines\n"
        "Checking pieces against the quality sheet and correcting faults\n"
        "Setting up, cleaning and reporting problems with the machines"
    ),
}

NEEDS = {
    3: "Hearing impairment in one ear: give instructions face to face, and in writing as well.",
    17: "Uses reading glasses; written safety instructions in large print.",
    24: "Mild intellectual disability: short tasks, one step at a time; an accompanying teacher checks in daily.",
}
# What the coordinator chose to tell the mentor (the diagnosis above stays restricted).
SHARED_WITH_MENTOR = {
    3: "Give instructions face to face, and in writing as well.",
    17: "Written safety instructions in large print.",
    24: "Short tasks, one step at a time.",
}


@transaction.atomic
def load_demo():
    """Create the demo project, its organisations, learners, placements and accounts."""
    orgs = {}
    for name, kind, oid, country, city, address, contacts in ORGANISATIONS:
        fields = {"kind": kind, "oid": oid, "country": country, "city": city, "address": address}
        if name == SCHOOL:  # the first row: the school, in its own address book
            org, _ = Organisation.objects.get_or_create(name=name, defaults=fields)
        else:
            org = _in_address_book(orgs[SCHOOL], name=name, **fields)
        orgs[name] = org
        for contact_name, position, email, phone in contacts:
            ContactPerson.objects.get_or_create(
                organisation=org, name=contact_name, defaults={"position": position, "email": email, "phone": phone}
            )

    quals = {
        MECHANIC: Qualification.objects.get_or_create(name=MECHANIC, defaults={"eqf_level": 3, "code": "MEC-INT-3"})[0],
        TEXTILE: Qualification.objects.get_or_create(name=TEXTILE, defaults={"eqf_level": 3, "code": "TEX-PIE-3"})[0],
    }

    project, _ = Project.objects.get_or_create(
        reference="2026-1-RO01-KA122-VET-000187412",
        defaults={
            "title": "Social inclusion through practical training of disadvantaged groups",
            "key_action": Project.KeyAction.KA1_VET_SHORT,
            "start_date": date(2026, 9, 1),
            "end_date": date(2028, 2, 29),
            "sending_organisation": orgs[SCHOOL],
            "summary": (
                "31 learners of the Second Chance programme complete two 4-week practice stages in companies "
                "in northern Portugal, for the maintenance mechanic and the textile and leather products "
                "manufacturing qualifications (EQF level 3)."
            ),
        },
    )

    users = {}
    for username, first, last, role, org_name in ACCOUNTS:
        host = orgs.get(org_name)
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "role": role,
                "organisation": host,
                "email": f"{username}@example.org",
                # A mentor reads the language and lives by the clock of their company's country.
                "language": language_of_country(host.country) if host else "",
                "time_zone": zone_name_of_country(host.country) if host else "",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        users[username] = user
        Membership.objects.get_or_create(user=user, organisation=orgs[SCHOOL], defaults={"role": role})

    barriers = {b.code: b for b in Barrier.objects.all()}
    teachers = list(ContactPerson.objects.filter(organisation=orgs[SCHOOL], position__startswith="Teacher"))
    number = 0
    for title, qual_name, city, start, end, status, host, mentor, assignment_status in PLACEMENTS:
        placement, created = Placement.objects.get_or_create(
            project=project,
            title=title,
            defaults={
                "qualification": quals[qual_name],
                "receiving_partner": orgs["Intercâmbio Minho – Associação para a Mobilidade"],
                "city": city,
                "country": "PT",
                "start_date": start,
                "end_date": end,
                "status": status,
                "tasks": TASKS[qual_name],
            },
        )
        if created:
            placement.accompanying_persons.set(teachers[:1] if qual_name == MECHANIC else teachers[1:])
        for first, last, gender, born in LEARNERS[qual_name]:
            number += 1
            born = date.fromisoformat(born)
            minor = (start - born).days < 18 * 365.25
            participant, created = Participant.objects.get_or_create(
                project=project,
                first_name=first,
                last_name=last,
                date_of_birth=born,
                defaults={
                    "gender": gender,
                    "qualification": quals[qual_name],
                    "phone": f"+40 7{number:02d} 000 {number:03d}",
                    "address": "Bacău",
                    "emergency_contact_name": f"{'Maria' if number % 2 else 'Vasile'} {last}",
                    "emergency_contact_relation": "mother" if number % 2 else "father",
                    "emergency_contact_phone": f"+40 7{number:02d} 111 {number:03d}",
                    "special_needs": NEEDS.get(number, ""),
                    "shared_with_mentor": SHARED_WITH_MENTOR.get(number, ""),
                    "id_document_number": f"ZC {400000 + number * 137:06d}",
                    # Two documents run out before the stage ends: the dashboard shows them.
                    "id_document_expiry": end - timedelta(days=3) if number in (5, 20) else date(2030, 6, 30),
                    "health_insurance_number": f"80642{number:015d}",
                    "health_insurance_expiry": date(2029, 12, 31),
                    "consent_data_processing_on": None if number == 29 else date(2026, 9, 20),
                    "consent_dissemination_on": None if number % 7 == 0 else date(2026, 9, 20),
                    "consent_given_by": Participant.ConsentGiver.GUARDIAN
                    if minor
                    else Participant.ConsentGiver.LEARNER,
                },
            )
            if created:
                codes = ["discrimination", "economic", "education"]
                if number in NEEDS:
                    codes.append("disability")
                participant.barriers.set([barriers[c] for c in codes if c in barriers])
            Assignment.objects.get_or_create(
                participant=participant,
                placement=placement,
                defaults={"host_company": orgs[host], "mentor": users[mentor], "status": assignment_status},
            )


SECOND_SCHOOL = "Colegiul Tehnic Vaslui (demo)"
SECOND_SCHOOL_ACCOUNTS = [
    # username, first name, last name, role: the second school's office and its one mentor
    ("vaslui.coordinator", "Irina", "Bălan", Role.COORDINATOR),
    ("vaslui.staff", "Dan", "Ciobanu", Role.STAFF),
    ("vaslui.mentor", "Paulo", "Ferreira", Role.MENTOR),
]
# A person of both schools (roles are per school): the second school's coordinator, the first school's staff.
TWO_SCHOOLS_ACCOUNT = ("vaslui.deputy", "Elena", "Munteanu")


def load_second_school():
    """A second, small school on the same installation, kept apart from the first: its own project, one
    placement, three learners, a coordinator, a staff member and a mentor. Neither school's office sees the
    other's (accounts.roles.scoped). Idempotent."""
    school, _ = Organisation.objects.get_or_create(
        name=SECOND_SCHOOL, defaults={"kind": Organisation.Kind.SENDING, "country": "RO", "city": "Vaslui"}
    )
    # Its address book is its own: its host company, and its own record of the partner the first school also
    # works with (the same OID; each school's notes and contacts stay its own).
    host = _in_address_book(
        school, name="Oficina Ferreira & Filhos (demo)", kind=Organisation.Kind.HOST, country="PT", city="Porto"
    )
    partner = _in_address_book(
        school,
        name="Intercâmbio Minho – Associação para a Mobilidade",
        kind=Organisation.Kind.RECEIVING,
        oid="E10000202",
        country="PT",
        city="Braga",
        address="Rua do Souto 45",
    )
    ContactPerson.objects.get_or_create(
        organisation=partner, name="Tiago Neves", defaults={"position": "Mobility officer, Porto office"}
    )
    project, _ = Project.objects.get_or_create(
        reference="2026-1-RO01-KA122-VET-000190233",
        defaults={
            "title": "Car mechanics apprentices of Vaslui in Porto",
            "key_action": Project.KeyAction.KA1_VET_SHORT,
            "start_date": date(2026, 6, 1),
            "end_date": date(2027, 11, 30),
            "sending_organisation": school,
            "summary": "Three learners of the car mechanics class complete a 3-week practice stage in Porto.",
        },
    )
    users = {
        role: _demo_account(username, first, last, role, school=school, host=host)
        for username, first, last, role in SECOND_SCHOOL_ACCOUNTS
    }
    mechanic = Qualification.objects.get(name=MECHANIC)
    placement, _ = Placement.objects.get_or_create(
        project=project,
        title="Vaslui – Car mechanics in Porto",
        defaults={
            "qualification": mechanic,
            "receiving_partner": partner,
            "city": "Porto",
            "country": "PT",
            "start_date": date(2027, 5, 3),
            "end_date": date(2027, 5, 21),
            "tasks": TASKS[MECHANIC],
        },
    )
    for first, last, born in (
        ("Andrei", "Vasilache", "2008-02-11"),
        ("Bianca", "Roman", "2007-10-30"),
        ("Cosmin", "Gavrilă", "2008-07-19"),
    ):
        participant, _ = Participant.objects.get_or_create(
            project=project,
            first_name=first,
            last_name=last,
            date_of_birth=date.fromisoformat(born),
            defaults={
                "gender": Participant.Gender.FEMALE if first == "Bianca" else Participant.Gender.MALE,
                "qualification": mechanic,
                "address": "Vaslui",
            },
        )
        Assignment.objects.get_or_create(
            participant=participant,
            placement=placement,
            defaults={"host_company": host, "mentor": users[Role.MENTOR]},
        )
    username, first, last = TWO_SCHOOLS_ACCOUNT
    both = _demo_account(username, first, last, Role.COORDINATOR, school=school, host=None)
    first_school = Organisation.objects.filter(name=SCHOOL).first()
    if first_school is not None:
        Membership.objects.get_or_create(user=both, organisation=first_school, defaults={"role": Role.STAFF})


def _demo_account(username, first, last, role, *, school, host):
    """A demo account with the demo password, a member of `school` with its role (a mentor works at `host`),
    made the first time."""
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "role": role,
            "organisation": host if role == Role.MENTOR else None,
            "email": f"{username}@example.org",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, organisation=school, defaults={"role": role})
    return user


def _in_address_book(school: Organisation, *, name: str, **fields) -> Organisation:
    """The school's own record of an organisation, made the first time."""
    found = Organisation.objects.filter(name=name, schools=school).first()
    if found is None:
        found = Organisation.objects.create(name=name, **fields)
        found.schools.add(school)
    return found


CONSORTIUM = "Consorțiul pentru Formare Profesională Moldova (demo)"
THIRD_SCHOOL = "Liceul Tehnologic Hârlău (demo)"
CONSORTIUM_ACCOUNTS = [
    # username, first name, last name, role, school: the consortium's coordinator, a member school's, a mentor
    ("consortiu.coordinator", "Elena", "Munteanu", Role.COORDINATOR, CONSORTIUM),
    ("harlau.coordinator", "Mihai", "Cojocaru", Role.COORDINATOR, THIRD_SCHOOL),
    ("braga.mentor", "Rui", "Almeida", Role.MENTOR, CONSORTIUM),
]


def load_consortium():
    """A consortium's project on the same installation: the consortium sends learners of two member schools,
    the second school (Vaslui) and a third (Hârlău). The consortium's coordinator sees all four; Vaslui's sees its
    two here (and its own project); Hârlău's sees its two (accounts.roles.school_filter). Idempotent."""
    consortium, _ = Organisation.objects.get_or_create(
        name=CONSORTIUM, defaults={"kind": Organisation.Kind.SENDING, "country": "RO", "city": "Iași"}
    )
    vaslui = Organisation.objects.get(name=SECOND_SCHOOL)
    harlau, _ = Organisation.objects.get_or_create(
        name=THIRD_SCHOOL, defaults={"kind": Organisation.Kind.SENDING, "country": "RO", "city": "Hârlău"}
    )
    consortium.address_book.add(vaslui, harlau)
    host = _in_address_book(
        consortium, name="Serralharia Minhota (demo)", kind=Organisation.Kind.HOST, country="PT", city="Braga"
    )
    partner = _in_address_book(
        consortium,
        name="Intercâmbio Minho – Associação para a Mobilidade",
        kind=Organisation.Kind.RECEIVING,
        oid="E10000202",
        country="PT",
        city="Braga",
    )
    project, _ = Project.objects.get_or_create(
        reference="2026-1-RO01-KA121-VET-000200417",
        defaults={
            "title": "Welding apprentices of the Moldova consortium in Braga",
            "key_action": Project.KeyAction.KA1_VET,
            "start_date": date(2026, 9, 1),
            "end_date": date(2027, 12, 31),
            "sending_organisation": consortium,
            "summary": "Four learners of two member schools complete a 3-week welding practice in Braga.",
        },
    )
    project.member_schools.add(vaslui, harlau)
    users = {
        username: _demo_account(
            username, first, last, role, school=consortium if school_name == CONSORTIUM else harlau, host=host
        )
        for username, first, last, role, school_name in CONSORTIUM_ACCOUNTS
    }
    mechanic = Qualification.objects.get(name=MECHANIC)
    placement, _ = Placement.objects.get_or_create(
        project=project,
        title="Consortium – Welding in Braga",
        defaults={
            "qualification": mechanic,
            "receiving_partner": partner,
            "city": "Braga",
            "country": "PT",
            "start_date": date(2027, 6, 7),
            "end_date": date(2027, 6, 25),
            "tasks": TASKS[MECHANIC],
        },
    )
    for first, last, born, school in (
        ("Denisa", "Pricop", "2008-04-02", vaslui),
        ("Florin", "Tănase", "2007-12-14", vaslui),
        ("Gabriel", "Onofrei", "2008-09-23", harlau),
        ("Lavinia", "Rusu", "2008-01-08", harlau),
    ):
        participant, _ = Participant.objects.get_or_create(
            project=project,
            first_name=first,
            last_name=last,
            date_of_birth=date.fromisoformat(born),
            defaults={
                "school": school,
                "gender": Participant.Gender.FEMALE if first in ("Denisa", "Lavinia") else Participant.Gender.MALE,
                "qualification": mechanic,
                "address": school.city,
            },
        )
        Assignment.objects.get_or_create(
            participant=participant,
            placement=placement,
            defaults={"host_company": host, "mentor": users["braga.mentor"]},
        )
