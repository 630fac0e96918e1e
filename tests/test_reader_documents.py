"""Issue #21, item 6, for documents and the learner's pages: each learner-facing, host-facing and official
document, made by the worker's own code (documents.jobs.run_job, the Celery task's body) in each language it is
offered in, read back with pdftotext, and the learner's My trip page, checked by test_reader_formats'
reader_faults: no capitalised month or day inside a sentence, no amount of four or more digits without its
separator, no s or t with a cedilla in Romanian, no English sentence in Romanian or Portuguese."""

import re
from datetime import date

import pytest
from django.core.files.storage import storages
from django.urls import reverse

from documents import jobs
from documents.models import DocumentJob
from placements.models import Assignment

from .test_grants import money  # noqa: F401  (the fixture)
from .test_grants_allowances import hand
from .test_reader_formats import reader_faults
from .test_trip import link_for
from .test_trip import trip as trip  # noqa: F401  (the fixture)
from .tools import pdf_text


@pytest.fixture
def readers_world(money, private_files):  # noqa: F811
    """The world with its rate table, a travel plan, the first placement over and completed, and an allowance
    of more than a thousand lei handed to its learner."""
    from preparation.models import PreparationPlan, TravelLeg

    from .test_trip import aware

    world = money
    placement = world.placement
    placement.start_date, placement.end_date = date(2026, 3, 2), date(2026, 3, 27)
    placement.save()
    world.assignment.status = Assignment.Status.COMPLETED
    world.assignment.save()
    PreparationPlan.objects.create(
        placement=placement, meeting_point="Școala", meeting_at=aware(2026, 3, 1, 5, 0), what_to_bring="Buletinul"
    )
    leg = TravelLeg.objects.create(
        placement=placement,
        direction="outbound",
        mode="plane",
        carrier="TAROM",
        departure_place="Bacău airport",
        departs_at=aware(2026, 3, 1, 8),
        arrival_place="Porto airport",
        arrives_at=aware(2026, 3, 1, 12),
    )
    leg.travellers.set([world.assignment])
    world.payment = hand(world, "1234.50", advance=True)
    return world


def faults_in(text, language, typed):
    """reader_faults of the text once what people typed (names, titles, places, a qualification's name) is
    taken out: that stays in the language it was typed in."""
    text = re.sub(r"\s+", " ", text)
    for words in typed:
        text = text.replace(re.sub(r"\s+", " ", str(words)), " ")
    # A table cell's name wrapped over two lines comes back in pieces between the other columns.
    return [fault for fault in reader_faults(text, language) if not any(part_of(fault, words) for words in typed)]


def part_of(fault, words):
    found = re.search(r"'(.+)'", fault)
    return bool(found) and found.group(1) in str(words)


def typed_in(world):
    from placements.models import Qualification

    return [
        world.project.title,
        *(placement.title for placement in world.project.placements.all()),
        *Qualification.objects.values_list("name", flat=True),
        "Bacău airport",
        "Porto airport",
    ]


def made(world, kind, params, language):
    """The document as the worker makes it: a job in `language`, run through the task's body."""
    job = jobs.request_document(world.coordinator, kind, params, kind, language=language)
    jobs.run_job(job.pk)
    job = DocumentJob.objects.get(pk=job.pk)  # a fanned-out job is finished by its tasks
    assert job.status == DocumentJob.Status.DONE, (job.error, job.error_detail)
    with storages["private"].open(str(job.file)) as stored:
        return job, stored.read()


# (kind, params of the world, the languages it is offered in)
DOCUMENTS = [
    ("my_trip", lambda w: {"assignment": w.assignment.pk, "language": "ro"}, ["ro"]),
    ("my_trip", lambda w: {"assignment": w.assignment.pk, "language": "en"}, ["en"]),
    (DocumentJob.Kind.CERTIFICATE, lambda w: {"assignment": w.assignment.pk}, ["ro", "pt", "en"]),
    (DocumentJob.Kind.LEARNING_AGREEMENT, lambda w: {"assignment": w.assignment.pk}, ["ro", "pt", "en"]),
    (DocumentJob.Kind.ALLOWANCE_RECEIPT, lambda w: {"payment": w.payment.pk, "placement": w.placement.pk}, ["ro"]),
    (DocumentJob.Kind.FINAL_REPORT, lambda w: {"project": w.project.pk}, ["ro", "en"]),
    ("parental_consent_form", lambda w: {"assignment": w.assignment.pk}, ["ro"]),
    (DocumentJob.Kind.ATTENDANCE_RECORD, lambda w: {"assignment": w.assignment.pk}, ["ro", "pt", "en"]),
    (
        DocumentJob.Kind.ATTENDANCE_SHEET,
        lambda w: {"placement": w.placement.pk, "week": w.placement.start_date.isoformat()},
        ["ro", "pt", "en"],
    ),
]
CASES = [(kind, params, language) for kind, params, languages in DOCUMENTS for language in languages]


@pytest.mark.parametrize(("kind", "params_of", "language"), CASES, ids=[f"{kind}-{lang}" for kind, _, lang in CASES])
def test_each_document_reads_as_its_language_writes(readers_world, kind, params_of, language):
    world = readers_world
    _job, pdf = made(world, kind, params_of(world), language)
    text = pdf_text(pdf)
    faults = faults_in(text, language, typed_in(world))
    assert not faults, "\n".join(faults)


@pytest.mark.parametrize("language", ["ro", "en"])
def test_the_learners_my_trip_page_reads_as_its_language_writes(trip, client, language):  # noqa: F811
    link = link_for(trip, trip.assignment)
    html = client.get(reverse("trip:my_trip", args=[link.token]) + f"?lang={language}").content.decode()
    assert f'lang="{language}"' in html
    typed = [*typed_in(trip), "In front of the school", "Your ID card", "Your health card", "Work shoes"]
    faults = faults_in(html, language, typed)
    assert not faults, faults
    # The meeting's day as each language writes a date with its weekday.
    assert {"ro": "duminică, 28 februarie 2027", "en": "Sunday, 28 February 2027"}[language] in html


def test_the_check_reads_a_pdf():
    """The check is applied to what pdftotext gives back: each fault is still found in a PDF's text."""
    from documents.rendering import write_pdf

    pdf = write_pdf("<p>Plecare pe 28 Februarie 2027, avans 13035,00 lei, Şcoala. Sign the receipt.</p>")
    faults = reader_faults(pdf_text(pdf), "ro")
    assert len(faults) == 4, faults


@pytest.fixture
def eager():
    from mobility.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.mark.parametrize(
    ("language", "word", "words"), [("ro", "certificat", "certificate"), ("pt", "certificado", "certificados")]
)
def test_the_certificates_zip_is_named_and_written_in_its_language(readers_world, eager, language, word, words):
    """The placement's certificates as one ZIP, made by the worker's fan-out: the archive's name, each file's name
    and each certificate inside in the language the ZIP was asked in."""
    import io
    import zipfile

    world = readers_world
    job, content = made(world, DocumentJob.Kind.PLACEMENT_CERTIFICATES, {"placement": world.placement.pk}, language)
    assert job.filename.startswith(f"{words}-"), job.filename
    archive = zipfile.ZipFile(io.BytesIO(content))
    names = archive.namelist()
    assert names and all(name.startswith(f"{word}-") for name in names), names
    for name in names:
        faults = faults_in(pdf_text(archive.read(name)), language, typed_in(world))
        assert not faults, (name, faults)


@pytest.mark.parametrize(
    ("language", "note", "heading", "reason"),
    [
        ("ro", "fara-certificat.txt", "Cursanții fără certificat", "certificatul poate fi emis"),
        ("pt", "sem-certificado.txt", "Formandos sem certificado", "o certificado pode ser emitido"),
        ("en", "not-included.txt", "Learners without a certificate", "the certificate can be issued"),
    ],
)
def test_the_zips_note_on_who_is_left_out_is_in_its_language(readers_world, eager, language, note, heading, reason):
    """A stage still running: a learner who completed it early has their certificate, the others are named in a
    note, whose name and reasons are in the ZIP's language (the reasons were the worker's English)."""
    import io
    import zipfile

    from .factories import ParticipantFactory

    world = readers_world
    world.placement.start_date, world.placement.end_date = date(2026, 11, 2), date(2027, 1, 29)
    world.placement.save()
    Assignment.objects.create(participant=ParticipantFactory(project=world.project), placement=world.placement)
    job, content = made(world, DocumentJob.Kind.PLACEMENT_CERTIFICATES, {"placement": world.placement.pk}, language)
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert note in archive.namelist(), archive.namelist()
    text = archive.read(note).decode()
    assert heading in text and reason in text, text
