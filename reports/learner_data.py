"""What this app holds about one learner (mobility certificates, printouts), contributed to privacy's export and
anonymisation through common.sections, so that privacy imports nothing from here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from placements.models import Assignment

from . import certificates, printouts
from .models import Certificate


def learner_data(
    participant: Any, assignment_ids: Sequence[int], row: Callable[[Any], dict[str, Any]]
) -> dict[str, list[dict[str, Any]]]:
    return {"certificates": [row(c) for c in Certificate.objects.filter(assignment_id__in=assignment_ids)]}


def learner_documents(assignment: Assignment) -> list[tuple[str, bytes, str]]:
    documents = []
    for make in (printouts.learning_agreement, printouts.attendance_record):
        pdf, filename = make(assignment)
        documents.append((filename, pdf, ""))
    certificate = Certificate.objects.filter(assignment=assignment).first()
    if certificate is not None:
        pdf, _digest = certificates.render_certificate(certificate)
        documents.append((certificates.certificate_filename(certificate), pdf, certificate.number))
    return documents


def anonymise_certificates(
    participant_id: int, assignment_ids: Sequence[int], holder: dict[str, Any], scrub: Callable[[Any], Any]
) -> list[str]:
    """A certificate keeps its number and what was learned (the figures count them); the holder's name and
    date of birth are replaced and the signed file goes."""
    paths = []
    for certificate in Certificate.objects.filter(assignment_id__in=assignment_ids):
        data = scrub(certificate.data)
        if isinstance(data.get("holder"), dict):
            born = holder["date_of_birth"]
            data["holder"] = {
                **data["holder"],
                "first_name": holder["first_name"],
                "last_name": holder["last_name"],
                "date_of_birth": born.isoformat() if isinstance(born, date) else born,
            }
        if certificate.file:
            paths.append(certificate.file)
        Certificate.objects.filter(pk=certificate.pk).update(data=data, file="", sha256="")
    return paths
