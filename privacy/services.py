"""The rules of personal data: who may open a learner's files, what an upload must be, consents and their
withdrawal, the retention period and anonymisation. Views and tasks call these; nothing here renders a page."""

import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common import private_files, sections
from common.private_files import ALLOWED_TYPES, check_upload  # noqa: F401 (used by other apps)
from participants.models import Participant
from placements.models import Assignment

from .models import LearnerFile, PersonalDataLog, record

Action = PersonalDataLog.Action

# The checks of every upload live with the private files (common.private_files); named here for the callers.


# --- files ---------------------------------------------------------------------------------------------------


def store_upload(participant, kind, description, upload, user):
    """Keep an upload under a random name in the private files folder, and record it. Checks it first."""
    check_upload(upload)
    if kind == LearnerFile.Kind.PHOTO and not participant.dissemination_consent_in_force:
        raise ValidationError(_("Photos need the consent to photos and publication in force."))
    return private_files.store(
        LearnerFile,
        upload,
        folder="learners",
        then=lambda learner_file: record(participant, user, Action.FILE_ADDED, learner_file.get_kind_display()),
        participant=participant,
        kind=kind,
        description=description,
        uploaded_by=user,
    )


def delete_file(learner_file, user):
    with transaction.atomic():
        record(learner_file.participant, user, Action.FILE_DELETED, learner_file.get_kind_display())
        learner_file.delete()
        transaction.on_commit(lambda: storages["private"].delete(learner_file.path))


# --- consents ------------------------------------------------------------------------------------------------

CONSENTS = {
    "data-processing": ("consent_data_processing", gettext_lazy("consent to data processing")),
    "publication": ("consent_dissemination", gettext_lazy("consent to photos and publication")),
}


def withdraw_consent(participant, kind, on, user):
    """Record that a consent was withdrawn on `on`: the date, who recorded it, and a line in the log."""
    prefix, label = CONSENTS[kind]
    if not getattr(participant, f"{prefix}_on"):
        raise ValidationError(_("This consent was never recorded, so it cannot be withdrawn."))
    if getattr(participant, f"{prefix}_withdrawn_on"):
        raise ValidationError(_("This consent is already withdrawn."))
    if on > timezone.localdate():
        raise ValidationError(_("A withdrawal cannot be dated in the future."))
    if on < getattr(participant, f"{prefix}_on"):
        raise ValidationError(_("A consent cannot be withdrawn before it was given."))
    with transaction.atomic():
        setattr(participant, f"{prefix}_withdrawn_on", on)
        setattr(participant, f"{prefix}_withdrawn_by", user)
        participant._history_user = user
        participant.save(update_fields=[f"{prefix}_withdrawn_on", f"{prefix}_withdrawn_by", "updated_at"])
        record(participant, user, Action.CONSENT_WITHDRAWN, label)


# --- retention and anonymisation -----------------------------------------------------------------------------


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def anonymisation_due_on(participant):
    """The day the learner's personal data may go: the retention period after their project's end."""
    return add_years(participant.project.end_date, settings.PERSONAL_DATA_RETENTION_YEARS)


def due_for_anonymisation(today=None):
    today = today or timezone.localdate()
    cutoff = add_years(today, -settings.PERSONAL_DATA_RETENTION_YEARS)
    return (
        Participant.objects.filter(anonymised_at__isnull=True, project__end_date__lte=cutoff)
        .select_related("project", "qualification")
        .order_by("project__end_date", "name_key", "pk")
    )


class NotYet(Exception):
    pass


def open_assignments(participant):
    return participant.assignments.exclude(status__in=[Assignment.Status.WITHDRAWN, Assignment.Status.COMPLETED])


def anonymisation_refusal(participant, today=None):
    """(why not, early): anonymising is allowed once the retention period is over; earlier only if the learner
    withdrew their consent to data processing (they asked to be forgotten). Never while on an open placement."""
    today = today or timezone.localdate()
    if participant.is_anonymised:
        return _("This learner is already anonymised."), False
    for hold in sections.contributions(sections.ANONYMISATION_HOLD, participant):
        if hold:
            return hold, False
    if open_assignments(participant).exists():
        return _("The learner is still expected on a placement: withdraw or complete it first."), False
    if today >= anonymisation_due_on(participant):
        return None, False
    if participant.consent_data_processing_withdrawn_on:
        return None, True
    return (
        _(
            "The retention period ends on %(date)s. Before then, a learner is anonymised only after withdrawing "
            "their consent to data processing."
        )
        % {"date": date_format(anonymisation_due_on(participant), "DATE_FORMAT")},
        True,
    )


# Values that replace the personal ones, on the learner and in every historical row of the learner.
def anonymous_values(participant):
    return {
        "first_name": "Anonymised",
        "last_name": f"#{participant.pk}",
        # The year stays, for the ages in the statistics; the day would help to find the person.
        "date_of_birth": date(participant.date_of_birth.year, 1, 1),
        "email": "",
        "phone": "",
        "address": "",
        "emergency_contact_name": "",
        "emergency_contact_relation": "",
        "emergency_contact_phone": "",
        "special_needs": "",
        "shared_with_mentor": "",
        "id_document_number": "",
        "id_document_expiry": None,
        "health_insurance_number": "",
        "health_insurance_expiry": None,
    }


def _name_pattern(participant):
    words = {w for name in (participant.first_name, participant.last_name) for w in name.split() if len(w) > 1}
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)


def _scrub(text, names):
    return names.sub("…", text) if names and text else text


@transaction.atomic
def anonymise(participant, user, reason="", today=None):
    """Replace the learner's names, contacts and restricted data everywhere (history included), delete their
    files and generated documents, and keep what the statistics count: qualification, gender, fewer-opportunity
    categories, placements, attendance statuses, ratings."""
    from assessments.models import OutcomeRating, RoundReopening
    from attendance.models import AttendanceRecord
    from documents.models import DocumentJob

    participant = Participant.objects.select_for_update().select_related("project").get(pk=participant.pk)
    refusal, early = anonymisation_refusal(participant, today)
    if refusal:
        raise NotYet(refusal)
    if early and not reason.strip():
        raise ValidationError(_("Say why the learner is anonymised before the end of the retention period."))
    names = _name_pattern(participant)
    values = anonymous_values(participant)
    storage = storages["private"]
    paths = []

    assignments = list(participant.assignments.values_list("pk", flat=True))
    placements = list(participant.assignments.values_list("placement_id", flat=True))
    for assignment in Assignment.objects.filter(pk__in=assignments).exclude(withdrawal_reason=""):
        Assignment.objects.filter(pk=assignment.pk).update(
            withdrawal_reason=_scrub(assignment.withdrawal_reason, names)
        )
    for row in Assignment.history.filter(id__in=assignments).exclude(withdrawal_reason=""):
        Assignment.history.filter(pk=row.pk).update(withdrawal_reason=_scrub(row.withdrawal_reason, names))
    # Reasons for absence and mentors' comments speak of the person (health, family): the statuses and the
    # levels stay for the figures, the words go.
    AttendanceRecord.objects.filter(assignment_id__in=assignments).update(reason="")
    AttendanceRecord.history.filter(assignment_id__in=assignments).update(reason="")
    OutcomeRating.objects.filter(round__assignment_id__in=assignments).update(comment="")
    for reopening in RoundReopening.objects.filter(round__assignment_id__in=assignments):
        RoundReopening.objects.filter(pk=reopening.pk).update(reason=_scrub(reopening.reason, names))

    # What other apps hold about the learner (mobility certificates, the application that selected them,
    # preparation records, questionnaire answers, follow-ups) is rewritten by those apps; they name the files
    # to delete after the commit.
    for contributed in sections.contributions(
        sections.ANONYMISE, participant.pk, assignments, values, lambda value: _scrub_json(value, names)
    ):
        paths.extend(contributed or [])

    # Generated documents that name the learner: their own, and their placements' (sheets, ZIPs).
    jobs = DocumentJob.objects.filter(
        Q(params__assignment__in=assignments)
        | Q(params__participant=participant.pk)
        | Q(params__placement__in=placements)
    )
    for job in jobs:
        if job.file:
            paths.append(job.file)
        DocumentJob.objects.filter(pk=job.pk).update(
            title=_scrub(job.title, names)[:250], filename=_scrub(job.filename, names), file=""
        )

    # The learner's own words on the public site go with them.
    testimonials = getattr(participant, "testimonials", None)
    if testimonials is not None and testimonials.exists():
        record(participant, user, Action.FILE_DELETED, _("%(n)d testimonial(s)") % {"n": testimonials.count()})
        testimonials.all().delete()

    for learner_file in LearnerFile.objects.filter(participant=participant):
        paths.append(learner_file.path)
        record(participant, user, Action.FILE_DELETED, learner_file.get_kind_display())
        learner_file.delete()

    for field, value in values.items():
        setattr(participant, field, value)
    now = timezone.now()
    participant.anonymised_at = now
    participant.archived_at = participant.archived_at or now
    participant._history_user = user
    participant._change_reason = "anonymised"
    participant.save()
    Participant.history.filter(id=participant.pk).update(**values)
    record(participant, user, Action.ANONYMISED, (reason.strip() if early else _("retention period over"))[:200])

    transaction.on_commit(lambda: [storage.delete(p) for p in paths if storage.exists(p)])
    return participant


def _scrub_json(value, names):
    if isinstance(value, str):
        return _scrub(value, names)
    if isinstance(value, dict):
        return {k: _scrub_json(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_json(v, names) for v in value]
    return value


# --- contact details of the public: conference registrants and exchange submitters ---------------------------


def add_months(moment, months):
    """The same day `months` later (earlier when negative), the month's last day when it has fewer days."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    for day in range(moment.day, 27, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return moment.replace(year=year, month=month, day=min(moment.day, 28))


def contact_details_cutoff(now=None):
    """Contact details of something that ended (a conference) or was decided (a submission) before this moment
    are due for removal."""
    return add_months(now or timezone.now(), -settings.CONTACT_DETAILS_RETENTION_MONTHS)


@transaction.atomic
def remove_expired_contact_details(now=None):
    """Daily, automatically: CONTACT_DETAILS_RETENTION_MONTHS (12) after a conference ended, its registrants'
    names, emails, organisations and accessibility needs go, with their certificates' files and the mail sent to
    them; after a submission was approved or rejected, the contact person, their email and the address key go.
    Every row stays with what the figures count (type, local employer, status, check-in; organisation, country,
    dates), so the final report and the public pages say the same afterwards. Returns the counts."""
    from conference.models import Registration
    from documents.models import DocumentJob
    from outbox.services import forget
    from public.models import Submission

    now = now or timezone.now()
    cutoff = contact_details_cutoff(now)

    registrations = Registration.objects.filter(event__ends_at__lt=cutoff, details_removed_at__isnull=True)
    ids = list(registrations.values_list("pk", flat=True))
    events = set(registrations.values_list("event_id", flat=True))
    # Certificates of attendance print the name: the files go, the jobs stay (who asked for what, when).
    jobs = DocumentJob.objects.filter(
        Q(kind=DocumentJob.Kind.CONFERENCE_CERTIFICATE, params__registration__in=ids)
        | Q(kind=DocumentJob.Kind.CONFERENCE_CERTIFICATES, params__event__in=list(events))
    )
    paths = list(jobs.exclude(file="").values_list("file", flat=True))
    jobs.filter(kind=DocumentJob.Kind.CONFERENCE_CERTIFICATE).update(
        file="", title=_("Certificate of attendance (contact details removed)")
    )
    jobs.update(file="")
    Registration.objects.filter(pk__in=ids).update(
        name="", name_key="", email="", organisation="", accessibility_needs="", details_removed_at=now
    )
    forget([f"conference.registration:{pk}" for pk in ids])

    submissions = Submission.objects.filter(
        status__in=[Submission.Status.APPROVED, Submission.Status.REJECTED],
        moderated_at__lt=cutoff,
        details_removed_at__isnull=True,
    )
    submission_ids = list(submissions.values_list("pk", flat=True))
    Submission.objects.filter(pk__in=submission_ids).update(
        contact_name="", email="", client_key="", details_removed_at=now
    )
    forget([f"public.submission:{pk}" for pk in submission_ids])

    storage = storages["private"]
    transaction.on_commit(lambda: [storage.delete(p) for p in paths if storage.exists(p)])
    return {"registrations": len(ids), "submissions": len(submission_ids)}
