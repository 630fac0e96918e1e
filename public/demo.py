"""The demo project's public site: its page in three languages, good practice, news, an exchange and voices."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from participants.models import Participant
from placements.models import Placement, Project

from .models import Article, NewsItem, ProjectPage, Submission, Testimonial, Topic

REFERENCE = "2026-1-RO01-KA122-VET-000187412"

PAGES = {
    "en": (
        "Social inclusion through practical training of disadvantaged groups",
        "Thirty-one learners of our school's Second Chance programme learn a trade where it is practised: "
        "four weeks in real companies in northern Portugal, with a mentor at their side.",
        "- Give learners who left school early a qualification employers recognise (EQF level 3).\n"
        "- Let them practise a trade in real workshops abroad: maintenance mechanics in Braga, textile and "
        "leather products in Guimarães.\n"
        "- Build lasting links with host companies and with local employers at home who will hire our graduates.\n"
        "- Share what works with other schools through this site and a final conference.",
    ),
    "ro": (
        "Incluziune socială prin formarea practică a grupurilor dezavantajate",
        "Treizeci și unu de cursanți ai programului „A doua șansă” învață o meserie acolo unde se practică: "
        "patru săptămâni în firme reale din nordul Portugaliei, cu un mentor alături.",
        "- Cursanții care au părăsit timpuriu școala obțin o calificare recunoscută de angajatori (nivel EQF 3).\n"
        "- Practică în ateliere reale din străinătate: mecanic de întreținere la Braga, confecții textile și "
        "din piele la Guimarães.\n"
        "- Legături durabile cu firmele gazdă și cu angajatorii locali care îi vor angaja pe absolvenți.\n"
        "- Împărtășim ce funcționează cu alte școli, pe acest site și la conferința finală.",
    ),
    "pt": (
        "Inclusão social através da formação prática de grupos desfavorecidos",
        "Trinta e um formandos do programa «Segunda Oportunidade» aprendem um ofício onde ele se pratica: "
        "quatro semanas em empresas reais do norte de Portugal, acompanhados por um tutor.",
        "- Dar a quem deixou a escola cedo uma qualificação reconhecida pelos empregadores (nível 3 do QEQ).\n"
        "- Praticar em oficinas reais: mecânica de manutenção em Braga, têxtil e couro em Guimarães.\n"
        "- Criar laços duradouros com as empresas de acolhimento e com empregadores locais.\n"
        "- Partilhar o que funciona com outras escolas, neste sítio e na conferência final.",
    ),
}

ARTICLES = [
    (
        "preparing-learners-for-a-first-stage-abroad",
        Topic.SELECTION,
        None,
        "Preparing learners for their first stage abroad",
        "Six short sessions before departure did more than any brochure: what we covered and why.",
        "## Why preparation matters\n\nMost of our learners had never left their county. We met them six times "
        "before departure, always with a parent or guardian invited to the last meeting.\n\n"
        "## What we covered\n\n1. The trip, day by day, with photos of the host town.\n2. Safety at work: the "
        "protective equipment they will wear.\n3. Money, phones and who to call.\n4. Twenty Portuguese phrases "
        "for the workshop.\n\n> Ask the host company for photos of the workshop; they answer more questions than "
        "we can.",
    ),
    (
        "a-mentor-at-the-workbench",
        Topic.MENTORING,
        "mechanics",
        "A mentor at the workbench: the Braga placement",
        "How the mentors in Braga recorded attendance and progress on a phone, and why the learners noticed.",
        "Each mentor had five or six learners. Every morning they marked attendance on their phone in under a "
        "minute; every Friday they signed the week off.\n\n## What changed\n\nLearners saw their own progress "
        "in the mid-point review. Several asked for more difficult tasks in the third week.",
    ),
    (
        "recognising-what-was-learned",
        Topic.RECOGNITION,
        None,
        "Recognising what was learned",
        "Units of learning outcomes agreed before departure, rated by the mentor, recognised on return.",
        "We agreed the units and outcomes with each host company before departure and wrote them into every "
        "learning agreement. The final rating by the mentor is printed on the learner's certificate, which the "
        "school recognises as part of the qualification.",
    ),
]

NEWS = [
    (
        "first-group-arrives-in-braga",
        "The first group arrives in Braga",
        "Sixteen learners started their practice stage in maintenance mechanics on 16 November.",
        "After a long journey, sixteen learners and two accompanying teachers arrived in Braga. The host "
        "companies welcomed them on Monday morning with a safety briefing.",
        datetime(2026, 11, 16, 18, 0),
    ),
    (
        "partnership-with-local-employers",
        "Local employers join the project",
        "Three companies from our town will offer interviews to the graduates.",
        "At a meeting in the school, three local employers agreed to interview the graduates of both "
        "qualifications after the stages.",
        datetime(2026, 10, 12, 12, 0),
    ),
]


@transaction.atomic
def load_public_site():
    project = Project.objects.filter(reference=REFERENCE).first()
    if project is None:
        return
    coordinator = User.objects.filter(username="coordinator").first()
    _give_address(project, "second-chance")
    for language, (title, introduction, objectives) in PAGES.items():
        page = ProjectPage.objects.filter(project=project, language=language).first() or ProjectPage(
            project=project, language=language
        )
        page.title, page.introduction, page.objectives, page.published = title, introduction, objectives, True
        page.updated_by = coordinator
        page.save()

    placements = list(Placement.objects.filter(project=project).order_by("start_date"))
    published = timezone.make_aware(datetime(2026, 11, 20, 9, 0))
    for number, (slug, topic, placement_key, title, summary, body) in enumerate(ARTICLES):
        placement = placements[0] if placement_key == "mechanics" and placements else None
        Article.objects.update_or_create(
            slug=slug,
            defaults={
                "project": project,
                "topic": topic,
                "placement": placement,
                "title": title,
                "summary": summary,
                "body": body,
                "language": "en",
                "status": Article.Status.PUBLISHED,
                "published_at": published - timedelta(days=number),
                "author": coordinator,
            },
        )
    for slug, title, summary, body, when in NEWS:
        NewsItem.objects.update_or_create(
            slug=slug,
            defaults={
                "project": project,
                "title": title,
                "summary": summary,
                "body": body,
                "language": "en",
                "status": NewsItem.Status.PUBLISHED,
                "published_at": timezone.make_aware(when),
                "author": coordinator,
            },
        )

    if not Submission.objects.filter(project=project).exists():
        Submission.objects.create(
            project=project,
            organisation="Escola Profissional do Minho (demo)",
            country="PT",
            contact_name="Ana Ribeiro",
            email="ana.ribeiro@example.org",
            title="Buddy learners for the first week",
            topic=Topic.INCLUSION,
            text="Each newcomer works beside a learner from the previous group for the first week. "
            "Absences in the first week fell by half.",
            status=Submission.Status.APPROVED,
            moderated_by=coordinator,
            moderated_at=published,
            client_key="demo",
        )
        Submission.objects.create(
            project=project,
            organisation="Colegiul Tehnic Textil (demo)",
            country="RO",
            contact_name="Ioana Pop",
            email="ioana.pop@example.org",
            title="Sewing samples as a portfolio",
            topic=Topic.RECOGNITION,
            text="Learners keep the samples they sew as a portfolio that the exam board sees.",
            client_key="demo",
        )

    if not Testimonial.objects.exists():
        voices = [
            "În prima săptămână mi-a fost frică de mașini. Acum știu să schimb singur un rulment.",
            "Mentorul meu mi-a arătat totul de două ori și nu s-a supărat niciodată.",
        ]
        learners = Participant.objects.publishable().filter(project=project).order_by("pk")[: len(voices)]
        for learner, quote in zip(learners, voices, strict=False):
            Testimonial.objects.create(
                participant=learner, quote=quote, language="ro", published=True, created_by=coordinator
            )


SECOND_REFERENCE = "2026-1-RO01-KA122-VET-000190233"
SECOND_PAGES = {
    "en": (
        "Car mechanics apprentices of Vaslui in Porto",
        "Three learners of our car mechanics class spend three weeks in a workshop in Porto.",
        "- Practise servicing and diagnosis in a real workshop\n- Bring back a certificate the exam board reads",
    ),
    "ro": (
        "Ucenici mecanici auto din Vaslui la Porto",
        "Trei elevi din clasa de mecanici auto petrec trei săptămâni într-un atelier din Porto.",
        "- Exersează întreținerea și diagnoza într-un atelier adevărat\n- Aduc un certificat pe care comisia de "
        "examen îl citește",
    ),
}


def _give_address(project, slug):
    """The demo's readable public address, unless another project has it already."""
    if project.public_slug != slug and not Project.objects.filter(public_slug=slug).exists():
        project.public_slug = slug
        project.save(update_fields=["public_slug"])


@transaction.atomic
def load_second_site():
    """The second school's own public site (/p/vaslui-porto/): a short page, so that the installation's
    address lists two sites. Idempotent."""
    project = Project.objects.filter(reference=SECOND_REFERENCE).first()
    if project is None:
        return
    _give_address(project, "vaslui-porto")
    for language, (title, introduction, objectives) in SECOND_PAGES.items():
        ProjectPage.objects.update_or_create(
            project=project,
            language=language,
            defaults={"title": title, "introduction": introduction, "objectives": objectives, "published": True},
        )
