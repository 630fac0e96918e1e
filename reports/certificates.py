"""Mobility certificates: the frozen data a certificate is issued from, numbering, rendering, revoking."""

import hashlib

from django.conf import settings
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from assessments.models import AssessmentRound, OutcomeRating, Unit
from attendance.models import AttendanceRecord
from attendance.services import placement_days, summarise
from common.storage import replace
from documents.registry import NotIssuable
from placements.models import Assignment, Project

from .models import Certificate


def check_issuable(assignment, today=None):
    today = today or timezone.localdate()
    if assignment.status == Assignment.Status.WITHDRAWN:
        raise NotIssuable(_("%(name)s withdrew from the placement: no certificate.") % {"name": assignment.participant})
    if assignment.status != Assignment.Status.COMPLETED and assignment.placement.end_date > today:
        raise NotIssuable(
            gettext_lazy("The placement of %(name)s ends on %(end)s: the certificate can be issued from then on."),
            {"name": str(assignment.participant), "end": assignment.placement.end_date},
            not_before=assignment.placement.end_date,
        )


def _org(org):
    if org is None:
        return {"name": "", "city": "", "country": "", "oid": ""}
    return {"name": org.name, "city": org.city, "country": str(org.country.name), "oid": org.oid}


def certificate_data(assignment, number, code, issued_on):
    """Everything printed on the certificate, as plain JSON, so that a reissue prints exactly the same."""
    placement, participant, project = assignment.placement, assignment.participant, assignment.placement.project
    records = AttendanceRecord.objects.filter(assignment=assignment).select_related("status")
    summary = summarise(placement, [assignment], records, project.required_attendance_rate, today=placement.end_date)[0]
    final = (
        AssessmentRound.objects.filter(
            assignment=assignment, kind=AssessmentRound.Kind.FINAL, status=AssessmentRound.Status.SUBMITTED
        )
        .prefetch_related(Prefetch("ratings", queryset=OutcomeRating.objects.select_related("level")))
        .first()
    )
    levels = {r.outcome_id: r.level for r in final.ratings.all()} if final else {}
    units = Unit.objects.filter(qualification=participant.qualification).prefetch_related("outcomes")
    mentor = assignment.mentor
    coordinator = project.sending_organisation.contacts.order_by("pk").first()
    return {
        "number": number,
        # The language it is issued in (the job's: documents.jobs runs the renderer under it), so that the
        # printed words and what `data` holds in words (levels, roles) are one language; reissues keep it.
        "language": translation.get_language() or settings.LANGUAGE_CODE,
        "verification_code": code,
        "verification_url": settings.SITE_URL + reverse("reports:verify", args=[code]),
        "issued_on": issued_on.isoformat(),
        "holder": {
            "first_name": participant.first_name,
            "last_name": participant.last_name,
            "date_of_birth": participant.date_of_birth.isoformat(),
        },
        "sending": _org(project.sending_organisation),
        "host": _org(assignment.host_company),
        "receiving_partner": _org(placement.receiving_partner),
        "mentor": {"name": str(mentor) if mentor else "", "position": ""},
        "project": {
            "title": project.title,
            "reference": project.reference,
            "key_action": project.get_key_action_display(),
        },
        "placement": {
            "title": placement.title,
            "city": placement.city,
            "country": str(placement.country.name),
            "start": placement.start_date.isoformat(),
            "end": placement.end_date.isoformat(),
            "duration_days": placement.duration_days,
            "working_days": sum(1 for d in placement_days(placement) if d.expected),
        },
        "qualification": {"name": participant.qualification.name, "eqf_level": participant.qualification.eqf_level},
        "tasks": assignment.tasks_carried_out,
        "units": [
            {
                "title": unit.title,
                "outcomes": [
                    {
                        "text": outcome.text,
                        "category": outcome.get_kind_display(),
                        "level": levels[outcome.pk].display_label if outcome.pk in levels else _("not assessed"),
                        "points": levels[outcome.pk].points if outcome.pk in levels else None,
                    }
                    for outcome in unit.outcomes.all()
                ],
            }
            for unit in units
        ],
        "attendance": {
            "present_days": summary.present_days,
            "expected_days": summary.expected_days,
            "rate": summary.rate,
            "hours_done": f"{summary.hours_done.normalize():f}",
            "hours_expected": f"{summary.hours_expected.normalize():f}",
        },
        "signatures": [
            {"role": _("Mentor at the host organisation"), "name": str(mentor) if mentor else ""},
            {"role": _("Holder"), "name": participant.full_name},
            {"role": _("Sending organisation"), "name": coordinator.name if coordinator else ""},
        ],
    }


def issue_certificate(assignment, user):
    """The assignment's certificate, issued now if it was not yet; never a second number for one learner."""
    existing = Certificate.objects.filter(assignment=assignment).first()
    if existing:
        return existing
    check_issuable(assignment)
    with transaction.atomic():
        # Lock the project row so that two workers never hand out the same number.
        project = Project.objects.select_for_update().get(pk=assignment.placement.project_id)
        existing = Certificate.objects.filter(assignment=assignment).first()
        if existing:
            return existing
        count = Certificate.objects.filter(assignment__placement__project=project).count()
        number = f"{project.reference.split('-')[-1]}-{count + 1:04d}"
        certificate = Certificate(assignment=assignment, number=number, issued_by=user, issued_at=timezone.now())
        certificate.data = certificate_data(assignment, number, certificate.verification_code, timezone.localdate())
        certificate.save()
    return certificate


def render_certificate(certificate):
    """The certificate's PDF. The first rendering is kept with its SHA-256 and every reissue hands out those
    very bytes, so a reissue is identical even after the templates, fonts or WeasyPrint have changed."""
    storage = storages["private"]
    if certificate.file and storage.exists(certificate.file):
        return _read(storage, certificate.file), certificate.sha256
    # Imported here: only the worker renders, and the web process need not load WeasyPrint.
    from documents.rendering import qr_svg, render_pdf

    pdf = render_pdf(
        "reports/documents/certificate.html",
        {"data": certificate.data, "qr": qr_svg(certificate.data["verification_url"])},
        language=certificate.data.get("language", settings.LANGUAGE_CODE),
    )
    digest = hashlib.sha256(pdf).hexdigest()
    path = f"certificates/{certificate.number}.pdf"
    # Two workers may render the same certificate at once (a repeated delivery): the first to record its
    # file wins, without holding a lock while rendering; the other hands out the winner's bytes.
    claimed = Certificate.objects.filter(pk=certificate.pk, file="").update(file=path, sha256=digest)
    if claimed:
        certificate.file, certificate.sha256 = path, digest
    else:
        certificate.refresh_from_db(fields=["file", "sha256"])
        if storage.exists(certificate.file):
            return _read(storage, certificate.file), certificate.sha256
    replace(storage, path, pdf)
    return pdf, certificate.sha256


def _read(storage, path):
    with storage.open(path, "rb") as kept:
        return kept.read()


def certificate_filename(certificate):
    """The file's name in the certificate's own language ("certificat-…" for one issued in Romanian)."""
    holder = certificate.data["holder"]
    with translation.override(certificate.data.get("language", settings.LANGUAGE_CODE)):
        word = slugify(pgettext("file name", "certificate")) or "certificate"
    return f"{word}-{certificate.number}-{holder['last_name']}-{holder['first_name']}.pdf".replace(" ", "-")


def revoke(certificate, user, reason):
    reason = (reason or "").strip()
    if not reason:
        raise NotIssuable(_("Give the reason for revoking the certificate."))
    certificate.revoked_at, certificate.revoked_by, certificate.revoke_reason = timezone.now(), user, reason[:300]
    certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
