"""The selection's rules. Each function validates first, then writes in one transaction: a ranking, a
confirmation or a replacement from the reserve list happens whole or not at all.

Messages are module-level so that tests assert on them."""

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.throttling import RateLimit
from common import private_files
from common.exceptions import NotAllowed
from participants.models import Participant
from placements.models import Assignment

from . import selectors
from .models import Appeal, Application, ApplicationDocument, Call, CallFlow, CommitteeMember, Conflict, Score

# A school's computer room sends a handful of applications from one address; a script sends many.
APPLICATIONS_PER_ADDRESS = RateLimit("selection-applications", limit=5, window=60 * 60)


class SelectionRefused(NotAllowed):
    """A selection step that cannot be taken now, with a message for the person who tried."""


def eligibility_problem(call: Call, flow: CallFlow, *, qualification_id: int, date_of_birth: date) -> str:
    """Why an application does not meet the call's rules the application can check itself; '' when it does."""
    if qualification_id != flow.placement.qualification_id:
        return _("Not enrolled in the qualification of this flow.")
    age = (
        flow.placement.start_date.year
        - date_of_birth.year
        - ((flow.placement.start_date.month, flow.placement.start_date.day) < (date_of_birth.month, date_of_birth.day))
    )
    if call.min_age is not None and age < call.min_age:
        return _("Younger than %(age)s at departure.") % {"age": call.min_age}
    if call.max_age is not None and age > call.max_age:
        return _("Older than %(age)s at departure.") % {"age": call.max_age}
    return ""


def submit_application(
    *,
    call_id: int,
    placement_id: int,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    gender: str,
    qualification_id: int,
    email: str = "",
    phone: str = "",
    language: str = "ro",
    motivation: str = "",
    fewer_opportunities: bool = False,
    barriers: Iterable[Any] = (),
    entered_by_id: int | None = None,
    today: date | None = None,
) -> Application:
    """An application, from the learner (entered_by_id None: only while the call is open) or entered by the
    office on a learner's behalf (until the ranking is decided). Eligibility is checked on the way in."""
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call_id)
        today = today or timezone.localdate()
        if entered_by_id is None and not call.accepts_applications(today):
            raise SelectionRefused(_("Applications to this call are closed."))
        if call.ranked_at is not None:
            raise SelectionRefused(_("The ranking is decided: no more applications can be added."))
        flow = call.flows.select_related("placement").filter(placement_id=placement_id).first()
        if flow is None:
            raise SelectionRefused(_("Choose one of the call's flows."))
        problem = eligibility_problem(call, flow, qualification_id=qualification_id, date_of_birth=date_of_birth)
        application = Application.objects.create(
            call=call,
            placement=flow.placement,
            first_name=first_name,
            last_name=last_name,
            date_of_birth=date_of_birth,
            gender=gender,
            qualification_id=qualification_id,
            email=email,
            phone=phone,
            language=language,
            motivation=motivation,
            fewer_opportunities=fewer_opportunities,
            entered_by_id=entered_by_id,
            status=Application.Status.INELIGIBLE if problem else Application.Status.RECEIVED,
            ineligible_reason=problem,
        )
        barriers = list(barriers)
        if barriers:
            application.barriers.set(barriers)
        return application


def _member_and_application(member_id: int, application_id: int) -> tuple[CommitteeMember, Application]:
    member = CommitteeMember.objects.select_related("call").get(pk=member_id)
    application = Application.objects.get(pk=application_id)
    if application.call_id != member.call_id:
        raise SelectionRefused(_("This application belongs to another call."))
    if member.call.ranked_at is not None:
        raise SelectionRefused(_("The ranking is decided: scores can no longer change."))
    return member, application


def record_scores(*, member_id: int, application_id: int, scores: dict[int, int]) -> None:
    """One member's scores on one application, every committee-scored criterion at once."""
    member, application = _member_and_application(member_id, application_id)
    if application.status in (Application.Status.INELIGIBLE, Application.Status.WITHDRAWN):
        raise SelectionRefused(_("This application is not in the competition."))
    if Conflict.objects.filter(member=member, application=application).exists():
        raise SelectionRefused(_("You declared a conflict of interest with this applicant."))
    criteria = selectors.scored_criteria(member.call)
    for criterion in criteria:
        value = scores.get(criterion.pk)
        if value is None or not 0 <= value <= criterion.max_score:
            raise SelectionRefused(
                _("Give “%(criterion)s” a score from 0 to %(max)s.")
                % {"criterion": criterion, "max": criterion.max_score}
            )
    with transaction.atomic():
        for criterion in criteria:
            Score.objects.update_or_create(
                member=member, application=application, criterion=criterion, defaults={"value": scores[criterion.pk]}
            )


def declare_conflict(*, member_id: int, application_id: int, reason: str) -> None:
    """The member steps back from this applicant: their scores on it, if any, are removed."""
    member, application = _member_and_application(member_id, application_id)
    if not reason.strip():
        raise SelectionRefused(_("Say what the conflict of interest is."))
    with transaction.atomic():
        Conflict.objects.get_or_create(member=member, application=application, defaults={"reason": reason.strip()})
        Score.objects.filter(member=member, application=application).delete()


def decide_ranking(*, call_id: int) -> None:
    """Rank each flow's applications by weighted total with the call's tie-break rule: the first `places` are
    selected, the next `reserve_places` go on the reserve list, the rest are not selected."""
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call_id)
        if call.confirmed_at is not None:
            raise SelectionRefused(_("The selection is already confirmed."))
        if not selectors.all_scores_in(call):
            raise SelectionRefused(_("Not every committee member has scored every application yet."))
        totals = selectors.totals(call)
        competing = list(call.applications.in_competition())
        for flow in call.flows.all():
            rows = sorted(
                (a for a in competing if a.placement_id == flow.placement_id),
                key=lambda a: selectors.ranking_key(call, a, totals[a.pk]),
            )
            for position, application in enumerate(rows, start=1):
                if position <= flow.places:
                    status = Application.Status.SELECTED
                elif position <= flow.places + flow.reserve_places:
                    status = Application.Status.RESERVE
                else:
                    status = Application.Status.NOT_SELECTED
                application.rank, application.total, application.status = position, totals[application.pk], status
                application.save(update_fields=["rank", "total", "status"])
        call.ranked_at = timezone.now()
        call.save(update_fields=["ranked_at"])


def sign_minutes(*, member_id: int) -> None:
    member = CommitteeMember.objects.select_related("call").get(pk=member_id)
    if member.call.ranked_at is None:
        raise SelectionRefused(_("The minutes can be signed once the ranking is decided."))
    if member.signed_minutes_at is None:
        member.signed_minutes_at = timezone.now()
        member.save(update_fields=["signed_minutes_at"])


def _make_participant(application: Application, project_id: int) -> Participant:
    participant = Participant(
        project_id=project_id,
        first_name=application.first_name,
        last_name=application.last_name,
        date_of_birth=application.date_of_birth,
        gender=application.gender,
        email=application.email,
        phone=application.phone,
        qualification_id=application.qualification_id,
    )
    participant.full_clean()
    participant.save()
    if application.fewer_opportunities:
        # The tick and its categories go with the learner: the grant's inclusion support, the Beneficiary Module
        # and the final report count a participant's categories.
        participant.barriers.set(application.barriers.all())
    Assignment.objects.create(participant=participant, placement_id=application.placement_id)
    application.participant = participant
    application.save(update_fields=["participant"])
    _hand_over_documents(application, participant)
    return participant


def confirmation_refusal(call: Call, today: date) -> str:
    """Why the selection of `call` cannot be confirmed today, or "" if it can."""
    if call.confirmed_at is not None:
        return _("The selection is already confirmed.")
    if today < call.confirmable_from():
        return _("Applications are open until %(closes)s: the selection can be confirmed from %(day)s.") % {
            "closes": formats.date_format(call.closes_on, "DATE_FORMAT"),
            "day": formats.date_format(call.confirmable_from(), "DATE_FORMAT"),
        }
    if call.ranked_at is None:
        return _("Decide the ranking first.")
    return ""


def confirm_selection(*, call_id: int, confirmed_by_id: int, today: date | None = None) -> int:
    """Every selected applicant becomes a participant with an assignment to their flow, all in one transaction:
    if one cannot be made, none is. Only after applications close: the public form closes with it (the ranking
    is decided). Returns how many were made."""
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call_id)
        refusal = confirmation_refusal(call, today or timezone.localdate())
        if refusal:
            raise SelectionRefused(refusal)
        made = 0
        for application in call.applications.filter(status=Application.Status.SELECTED, participant=None):
            _make_participant(application, call.project_id)
            made += 1
        call.confirmed_at, call.confirmed_by_id = timezone.now(), confirmed_by_id
        call.save(update_fields=["confirmed_at", "confirmed_by"])
    return made


def replace_from_reserve(*, application_id: int, reason: str) -> Application:
    """A selected learner withdraws: their assignment is withdrawn with the reason and the first on the flow's
    reserve list takes the place, as a participant with an assignment, in one step. Returns who took it."""
    if not reason.strip():
        raise SelectionRefused(_("Give the reason for the withdrawal."))
    with transaction.atomic():
        application = Application.objects.select_related("call").select_for_update().get(pk=application_id)
        call = application.call
        if call.confirmed_at is None or application.status != Application.Status.SELECTED:
            raise SelectionRefused(_("Only a selected learner of a confirmed selection can be replaced."))
        reserve = (
            call.applications.select_for_update()
            .filter(status=Application.Status.RESERVE, placement_id=application.placement_id)
            .order_by("rank")
            .first()
        )
        if reserve is None:
            raise SelectionRefused(_("Nobody is left on this flow's reserve list."))
        application.status = Application.Status.WITHDRAWN
        application.save(update_fields=["status"])
        if application.participant_id:
            for assignment in Assignment.objects.filter(
                participant_id=application.participant_id, placement_id=application.placement_id
            ):
                assignment.status, assignment.withdrawal_reason = Assignment.Status.WITHDRAWN, reason.strip()
                assignment.save(update_fields=["status", "withdrawal_reason", "updated_at"])
        reserve.status = Application.Status.SELECTED
        reserve.save(update_fields=["status"])
        _make_participant(reserve, call.project_id)
    return reserve


def record_appeal(*, application_id: int, received_on: date, grounds: str, recorded_by_id: int) -> Appeal:
    application = Application.objects.select_related("call").get(pk=application_id)
    if application.call.ranked_at is None and application.status != Application.Status.INELIGIBLE:
        raise SelectionRefused(_("There is no decision to appeal yet."))
    if not grounds.strip():
        raise SelectionRefused(_("Write the grounds of the appeal."))
    return Appeal.objects.create(
        application=application, received_on=received_on, grounds=grounds.strip(), recorded_by_id=recorded_by_id
    )


def decide_appeal(*, appeal_id: int, outcome: str, decision: str, decided_on: date) -> Appeal:
    """The committee's answer. An upheld appeal changes no ranking by itself: the coordinator acts on it
    (e.g. replaces a place), and the decision text says what was done."""
    if outcome not in (Appeal.Outcome.UPHELD, Appeal.Outcome.REJECTED):
        raise SelectionRefused(_("Choose whether the appeal is upheld or rejected."))
    if not decision.strip():
        raise SelectionRefused(_("Write the decision and its reasons."))
    appeal = Appeal.objects.get(pk=appeal_id)
    if appeal.outcome != Appeal.Outcome.PENDING:
        raise SelectionRefused(_("This appeal is already decided."))
    appeal.outcome, appeal.decision, appeal.decided_on = outcome, decision.strip(), decided_on
    appeal.save(update_fields=["outcome", "decision", "decided_on"])
    return appeal


def anonymise_applicant(
    participant_id: int, assignment_ids: list[int], values: dict, scrub: Callable[[str], str]
) -> None:
    """The application that made the learner a participant loses the same personal data the participant does
    (common.sections.ANONYMISE): names, day of birth, contacts, their own words; appeals lose the names."""
    applications = Application.objects.filter(participant_id=participant_id)
    ids = list(applications.values_list("pk", flat=True))
    personal = {
        "first_name": values["first_name"],
        "last_name": values["last_name"],
        "date_of_birth": values["date_of_birth"],
        "email": "",
        "phone": "",
        "motivation": "",
    }
    applications.update(**personal)
    Application.history.filter(id__in=ids).update(**personal)
    for appeal in Appeal.objects.filter(application_id__in=ids):
        Appeal.objects.filter(pk=appeal.pk).update(grounds=scrub(appeal.grounds), decision=scrub(appeal.decision))
    Appeal.history.filter(application_id__in=ids).update(grounds="", decision="")


def export_applicant(participant: Any, assignment_ids: list[int], row: Callable[[Any], dict]) -> dict:
    """The learner's application, its scores' totals and appeals, for the export of everything held about them
    (common.sections.LEARNER_EXPORT). Individual committee members' scores are the committee's, not the
    learner's data: the total and rank say what they decided."""
    applications = Application.objects.filter(participant=participant)
    return {
        "applications": [
            {
                **row(a),
                "fewer_opportunity_categories": [b.code for b in a.barriers.all()],
                "appeals": [row(appeal) for appeal in a.appeals.all()],
            }
            for a in applications.order_by("pk")
        ]
    }


def erase_unselected(*, call_id: int, today: date | None = None) -> int:
    """Once the appeal period is over and every appeal decided, the applications that made no participant lose
    their personal data: names, day of birth, contacts, words (history included). The reserve list waits until
    every flow has started. Gender, qualification, the fewer-opportunities flag, status and total stay, so that
    the minutes and the fairness summary still add up. Returns how many were erased."""
    today = today or timezone.localdate()
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call_id)
        if call.ranked_at is None or today <= call.appeals_until:
            raise SelectionRefused(_("Applications can be erased once the appeal period is over."))
        if Appeal.objects.filter(application__call=call, outcome=Appeal.Outcome.PENDING).exists():
            raise SelectionRefused(_("Decide every appeal first."))
        statuses = [Application.Status.NOT_SELECTED, Application.Status.INELIGIBLE, Application.Status.WITHDRAWN]
        if not call.flows.filter(placement__start_date__gt=today).exists():
            statuses.append(Application.Status.RESERVE)
        erased, erased_ids = 0, []
        for application in call.applications.filter(participant=None, status__in=statuses, erased_at=None):
            personal = {
                "first_name": _("Erased"),
                "last_name": f"#{application.pk}",
                "date_of_birth": date(application.date_of_birth.year, 1, 1),
                "email": "",
                "phone": "",
                "motivation": "",
            }
            Application.objects.filter(pk=application.pk).update(**personal, erased_at=timezone.now())
            Application.history.filter(id=application.pk).update(**personal)
            application.barriers.clear()  # the flag stays for the fairness summary; its categories go
            Appeal.objects.filter(application=application).update(grounds="", decision="")
            Appeal.history.filter(application_id=application.pk).update(grounds="", decision="")
            _delete_documents(ApplicationDocument.objects.filter(application=application))
            erased_ids.append(application.pk)
            erased += 1
        if erased_ids:
            _forget_letters(call.pk, erased_ids)
    return erased


def _forget_letters(call_id: int, application_ids: list[int]) -> None:
    """Decision letters print the name: the files of the erased applicants' letters and of the call's batches
    go, the jobs stay (who asked for what, when)."""
    from django.db.models import Q

    from documents.models import DocumentJob

    from .documents import DECISION_LETTER, DECISION_LETTERS

    jobs = DocumentJob.objects.filter(
        Q(kind=DECISION_LETTER, params__application__in=application_ids)
        | Q(kind=DECISION_LETTERS, params__call=call_id)
    ).exclude(file="")
    paths = list(jobs.values_list("file", flat=True))
    jobs.update(file="")
    if paths:
        transaction.on_commit(lambda: _delete_files(paths))


def erase_due_calls(*, today: date | None = None) -> dict[str, int]:
    """Daily, automatically (privacy.tasks.apply_retention_rules): SELECTION_ERASE_AFTER_DAYS (30) after a call's
    appeal period ended, erase_unselected runs for it; it runs again each day while the reserve list waits for
    its flows to start. A call with an appeal still pending is left for the next day (the coordinator sees why on
    the call page). Counts, totals and the fairness summary stay. Returns the calls and applications erased."""
    from datetime import timedelta

    from django.conf import settings

    today = today or timezone.localdate()
    last_day = today - timedelta(days=settings.SELECTION_ERASE_AFTER_DAYS)
    calls = Call.objects.filter(
        ranked_at__isnull=False,
        appeals_until__lt=last_day,
        applications__participant=None,
        applications__erased_at=None,
        applications__status__in=[
            Application.Status.NOT_SELECTED,
            Application.Status.INELIGIBLE,
            Application.Status.WITHDRAWN,
            Application.Status.RESERVE,
        ],
    ).distinct()
    result = {"calls": 0, "applications": 0}
    for call_id in calls.values_list("pk", flat=True).distinct():
        try:
            erased = erase_unselected(call_id=call_id, today=today)
        except SelectionRefused:
            continue
        if erased:
            result["calls"] += 1
            result["applications"] += erased
    return result


# --- documents attached to an application ----------------------------------------------------------------------


def attach_document(
    *, application_id: int, kind: str, description: str, upload: UploadedFile, user_id: int
) -> ApplicationDocument:
    """Check the file as every upload is (its real type, its size: privacy.services.check_upload), keep it under a
    random name in the private storage and record it. Nothing is kept if anything fails."""
    application = Application.objects.get(pk=application_id)
    if application.erased_at is not None:
        raise SelectionRefused(_("The personal data of this application were erased: nothing can be added."))
    if application.participant_id is not None:
        raise SelectionRefused(_("This applicant is a participant now: add the file on the learner's page."))
    if kind not in ApplicationDocument.Kind.values:
        raise ValidationError(_("Choose the kind of document."))
    return private_files.store(
        ApplicationDocument,
        upload,
        folder="applications",
        application=application,
        kind=kind,
        description=description.strip(),
        uploaded_by_id=user_id,
    )


def _delete_files(paths: list[str]) -> None:
    storage = storages["private"]
    for path in paths:
        storage.delete(path)


def _delete_documents(documents: Any) -> int:
    """Delete the rows now and their files once the transaction is committed."""
    paths = list(documents.values_list("path", flat=True))
    count = documents.delete()[0]
    if paths:
        transaction.on_commit(lambda: _delete_files(paths))
    return count


def _hand_over_documents(application: Application, participant: Participant) -> None:
    """The applicant became a participant: an ID copy becomes the learner's ID scan (the same file, restricted
    the same way, logged); the other documents served the selection only and are deleted."""
    from privacy.models import LearnerFile, PersonalDataLog, record

    documents = ApplicationDocument.objects.filter(application=application)
    for document in documents.filter(kind=ApplicationDocument.Kind.ID_COPY):
        learner_file = LearnerFile.objects.create(
            participant=participant,
            kind=LearnerFile.Kind.ID_SCAN,
            description=document.description,
            path=document.path,
            original_name=document.original_name,
            content_type=document.content_type,
            size=document.size,
            uploaded_by_id=document.uploaded_by_id,
        )
        record(participant, document.uploaded_by, PersonalDataLog.Action.FILE_ADDED, learner_file.get_kind_display())
        # The row goes, the file stays: it is the learner's file now.
        ApplicationDocument.objects.filter(pk=document.pk).delete()
    _delete_documents(documents.all())
