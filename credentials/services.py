"""Europass Mobility documents: drafted from the certificate's frozen facts, reviewed, issued, and the files made
from the issued copy (the PDF in Romanian and English, the unsealed digital credential) in a Celery task."""

from __future__ import annotations

import json

from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.storage import replace
from placements.models import Assignment
from reports import certificates

from .models import EuropassMobility

TEXTS = (
    "activities",
    "job_skills",
    "language_skills",
    "digital_skills",
    "organisational_skills",
    "communication_skills",
    "other_skills",
)
# The languages the PDF is made in: the school's and the one every reader abroad shares.
PDF_LANGUAGES = ("ro", "en")
FILES = tuple(f"pdf-{language}" for language in PDF_LANGUAGES) + ("elm",)


def today():
    return timezone.localdate()


class CredentialRefused(Exception):
    """A step the coordinator asked for cannot be taken; the message says why, in their language."""


def reached_outcomes(data):
    """The outcomes the mentor's final rating placed at a level with points, as "unit: outcome (level)" lines."""
    lines = []
    for unit in data.get("units", []):
        for outcome in unit["outcomes"]:
            if outcome.get("points"):
                lines.append(f"{outcome['text']} ({outcome['level']})")
    return lines


def draft_for(assignment: Assignment, user) -> EuropassMobility:
    """The learner's Europass Mobility document, drafted now if it was not yet. Its facts are the certificate's:
    the certificate is issued first if it was not (NotIssuable before the stage has ended or after a withdrawal)."""
    existing = EuropassMobility.objects.filter(assignment=assignment).first()
    if existing:
        return existing
    certificate = certificates.issue_certificate(assignment, user)
    data = certificate.data
    activities = "\n".join(assignment.tasks_carried_out)
    europass, _created = EuropassMobility.objects.get_or_create(
        assignment=assignment,
        defaults={
            "activities": activities,
            "job_skills": "\n".join(reached_outcomes(data)),
        },
    )
    return europass


def update_texts(europass: EuropassMobility, texts: dict[str, str]) -> None:
    if europass.issued:
        raise CredentialRefused(_("This document is issued: its text can no longer change."))
    for name in TEXTS:
        setattr(europass, name, texts.get(name, "").strip())
    europass.save()


def issue(europass: EuropassMobility, user) -> None:
    """Freeze the facts and the texts, then make the files in the background."""
    if europass.issued:
        return
    if not europass.activities.strip() or not europass.job_skills.strip():
        raise CredentialRefused(
            _("Write the activities and the job-related skills before issuing: a Europass Mobility needs both.")
        )
    certificate = europass.assignment.certificate
    with transaction.atomic():
        europass.data = certificate.data | {
            "texts": {name: _lines(getattr(europass, name)) for name in TEXTS},
            "europass_issued_on": timezone.localdate().isoformat(),
            "credential_id": str(europass.credential_id),
        }
        europass.status = EuropassMobility.Status.ISSUED
        europass.issued_at, europass.issued_by = timezone.now(), user
        europass.save()
        from .tasks import make_files

        transaction.on_commit(lambda: make_files.delay(europass.pk))


def _lines(text):
    return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]


def make_files(europass: EuropassMobility) -> None:
    """Render the PDFs and the credential from the issued copy and keep them; files already kept stay as they
    are, so that a repeated task hands out the same bytes."""
    from documents.rendering import render_pdf

    from . import elm

    storage = storages["private"]
    files = dict(europass.files)
    base = f"europass/{europass.credential_id}"
    for language in PDF_LANGUAGES:
        name = f"pdf-{language}"
        if name not in files:
            pdf = render_pdf("credentials/documents/europass_mobility.html", {"data": europass.data}, language=language)
            replace(storage, f"{base}-{language}.pdf", pdf)
            files[name] = f"{base}-{language}.pdf"
    if "elm" not in files:
        with storage.open(files["pdf-en"], "rb") as kept:
            image = elm.first_page_png(kept.read())
        document = elm.credential(europass.data, display_image=image)
        replace(storage, f"{base}.json", json.dumps(document, ensure_ascii=False, indent=1).encode())
        files["elm"] = f"{base}.json"
    EuropassMobility.objects.filter(pk=europass.pk).update(files=files)
    europass.files = files


def filename(europass: EuropassMobility, name: str) -> str:
    holder = europass.data["holder"]
    stem = f"{holder['last_name']}-{holder['first_name']}".replace(" ", "-")
    if name == "elm":
        return f"credential-{stem}.json"
    return f"europass-mobility-{stem}-{name.removeprefix('pdf-')}.pdf"


def europass_fields(europass: EuropassMobility) -> dict:
    """The issued document's parts, named as the Europass Mobility form names them, for the National Europass
    Centre's own form: no numbering, no layout, nothing the form does not ask for."""
    data = europass.data
    holder, placement, texts = data["holder"], data["placement"], data["texts"]
    return {
        "holder": {
            "surname": holder["last_name"],
            "first_names": holder["first_name"],
            "date_of_birth": holder["date_of_birth"],
        },
        "sending_partner": {
            "name": data["sending"]["name"],
            "address": ", ".join(part for part in (data["sending"]["city"], data["sending"]["country"]) if part),
            "oid": data["sending"]["oid"],
        },
        "host_partner": {
            "name": data["host"]["name"],
            "address": ", ".join(part for part in (data["host"]["city"], data["host"]["country"]) if part),
            "mentor": data["mentor"]["name"],
        },
        "mobility": {
            "objective": data["qualification"]["name"],
            "eqf_level": data["qualification"]["eqf_level"],
            "initiative": f"Erasmus+ {data['project']['key_action']} {data['project']['reference']}",
            "from": placement["start"],
            "to": placement["end"],
            "working_days_attended": data["attendance"]["present_days"],
            "hours_of_practice": data["attendance"]["hours_done"],
        },
        "skills_and_competences": {
            "activities_and_tasks": texts["activities"],
            "job_related": texts["job_skills"],
            "language": texts["language_skills"],
            "digital": texts["digital_skills"],
            "organisational_managerial": texts["organisational_skills"],
            "communication_interpersonal": texts["communication_skills"],
            "other": texts["other_skills"],
        },
        "issued_on": data["europass_issued_on"],
        "certificate_number": data["number"],
    }
