"""Everything the school holds about one learner, as one ZIP (the right of access): a readable summary (PDF),
every field and every historical version as JSON, and the learner's documents and uploads.

Rendered by the document worker (registered in privacy/documents.py); asked for by a coordinator only."""

import io
import json
import zipfile

from django.conf import settings
from django.core.files.storage import storages
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from common import sections
from documents.rendering import render_pdf
from participants.access import participant_with_restricted_data
from participants.models import Participant
from placements.models import Assignment

from .models import LearnerFile, PersonalDataLog, record
from .services import anonymisation_due_on

ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def request_export(request, pk):
    """The parameters and title of the export job (privacy/documents.py); logs who asked."""
    participant = participant_with_restricted_data(request.user, pk)  # by the role in the learner's school
    record(participant, request.user, PersonalDataLog.Action.EXPORT_REQUESTED)
    return {"participant": participant.pk}, _("Everything held about %(name)s") % {"name": participant.full_name}


def row(obj):
    """Every stored field of a model instance (historical rows included), with related objects by id and name."""
    data = {}
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        data[field.attname] = value
        if field.is_relation and value is not None and field.name not in ("history_relation",):
            related = getattr(obj, field.name, None)
            if related is not None:
                data[field.name] = str(related)
    return data


def collect(participant):
    from assessments.models import AssessmentRound
    from attendance.models import AttendanceRecord

    assignments = list(
        Assignment.objects.filter(participant=participant).select_related("placement", "host_company", "mentor")
    )
    ids = [a.pk for a in assignments]
    records = AttendanceRecord.objects.filter(assignment_id__in=ids).select_related("status", "recorded_by")
    rounds = (
        AssessmentRound.objects.filter(assignment_id__in=ids)
        .select_related("rated_by", "submitted_by")
        .prefetch_related("ratings__level", "ratings__outcome")
    )
    data = {
        "exported_at": timezone.now(),
        "participant": row(participant),
        "fewer_opportunity_categories": [b.code for b in participant.barriers.all()],
        "retention": {
            "years_after_project_end": settings.PERSONAL_DATA_RETENTION_YEARS,
            "anonymisation_due_on": anonymisation_due_on(participant),
        },
        "participant_history": [row(h) for h in participant.history.select_related("history_user")],
        "assignments": [
            {**row(a), "history": [row(h) for h in a.history.select_related("history_user")]} for a in assignments
        ],
        "attendance": [row(r) for r in records.order_by("assignment_id", "date")],
        "attendance_history": [
            row(h)
            for h in AttendanceRecord.history.filter(assignment_id__in=ids).order_by("history_date", "history_id")
        ],
        "assessments": [
            {**row(r), "ratings": [row(rating) for rating in r.ratings.all()]} for r in rounds.order_by("pk")
        ],
        "files": [row(f) for f in LearnerFile.objects.filter(participant=participant)],
        "data_log": [row(entry) for entry in PersonalDataLog.objects.filter(participant=participant)],
    }
    # What other apps hold about the learner (their application, preparation and travel records).
    for found in sections.contributions(sections.LEARNER_EXPORT, participant, ids, row):
        data.update(found)
    return data


def _add(archive, name, content):
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, content)


def build_export(participant):
    participant = Participant.objects.select_related("project", "qualification").get(pk=participant.pk)
    data = collect(participant)
    storage = storages["private"]
    buffer = io.BytesIO()
    included = []
    with zipfile.ZipFile(buffer, "w") as archive:
        _add(archive, "data.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
        for learner_file in LearnerFile.objects.filter(participant=participant):
            if storage.exists(learner_file.path):
                name = f"uploads/{learner_file.kind}-{learner_file.pk}.{learner_file.extension}"
                with storage.open(learner_file.path, "rb") as handle:
                    _add(archive, name, handle.read())
                included.append((name, str(learner_file)))
        assignments = Assignment.objects.filter(participant=participant).select_related("placement")
        for assignment in assignments:
            for documents in sections.contributions(sections.LEARNER_DOCUMENTS, assignment):
                for filename, pdf, note in documents:
                    _add(archive, f"documents/{filename}", pdf)
                    included.append((f"documents/{filename}", note))
        context = {
            "participant": participant,
            "data": data,
            "barriers": list(participant.barriers.all()),
            "assignments": list(assignments.select_related("host_company", "mentor")),
            "history": data["participant_history"],
            "log": PersonalDataLog.objects.filter(participant=participant).select_related("user"),
            "included": included,
            "due_on": data["retention"]["anonymisation_due_on"],
        }
        _add(archive, "summary.pdf", render_pdf("privacy/documents/learner_data.html", context))
    return buffer.getvalue(), f"learner-data-{slugify(participant.full_name)}-{participant.pk}.zip"


def render_learner_data_export(job):
    return build_export(Participant.objects.get(pk=job.params["participant"]))
