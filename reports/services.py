"""Figures about a project and what needs a coordinator's attention. A fixed number of queries each."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.sections import ATTENTION, contributions
from common.urls import url_for_each
from participants.models import Participant
from placements.models import Assignment, Placement
from privacy.services import due_for_anonymisation

NAME_FIELDS = ("first_name", "last_name")


def project_figures(project):
    participants = Participant.objects.active().filter(project=project)
    by_gender = dict(participants.values_list("gender").annotate(n=Count("pk")).order_by())
    by_qualification = list(
        participants.values("qualification__name").annotate(n=Count("pk")).order_by("qualification__name")
    )
    assignments = Assignment.objects.filter(placement__project=project)
    by_status = dict(assignments.values_list("status").annotate(n=Count("pk")).order_by())
    active_assignments = assignments.exclude(status=Assignment.Status.WITHDRAWN)
    return {
        "participants": sum(by_gender.values()),
        "female": by_gender.get(Participant.Gender.FEMALE, 0),
        "male": by_gender.get(Participant.Gender.MALE, 0),
        "by_qualification": by_qualification,
        "placements": Placement.objects.filter(project=project).count(),
        "host_companies": active_assignments.exclude(host_company=None).values("host_company").distinct().count(),
        "assignment_statuses": [(label, by_status.get(value, 0)) for value, label in Assignment.Status.choices],
    }


@dataclass
class AttentionItem:
    text: str
    url: str
    severity: str = "warning"


def attention_items(project, limit=50):
    """Things a coordinator should fix before the learners travel, most urgent first."""
    today = timezone.localdate()
    items = []
    active = Assignment.objects.exclude(status=Assignment.Status.WITHDRAWN)
    participants = Participant.objects.active().filter(project=project)

    # A learner who came home early went all the same: only a learner with no placement, or withdrawn before
    # theirs began (a place the reserve list may fill), is still to be placed.
    went = Assignment.objects.filter(status=Assignment.Status.WITHDRAWN, placement__start_date__lte=today)
    unassigned = (
        participants.exclude(Exists(active.filter(participant=OuterRef("pk"))))
        .exclude(Exists(went.filter(participant=OuterRef("pk"))))
        .order_by("name_key")
    )
    # A learner's name and link is all an item shows: not their forty columns, one reverse() for all of them.
    learner_url = url_for_each("participants:detail")
    for p in unassigned.only(*NAME_FIELDS)[:limit]:
        items.append(
            AttentionItem(_("%(name)s is not assigned to a placement.") % {"name": p.full_name}, learner_url(p.pk))
        )

    incomplete = (
        active.filter(placement__project=project)
        .filter(Q(host_company=None) | Q(mentor=None))
        .select_related("participant", "placement")
    )
    for a in incomplete[:limit]:
        items.append(
            AttentionItem(
                _("%(name)s has no host company or mentor on %(placement)s.")
                % {"name": a.participant.full_name, "placement": a.placement.title},
                reverse("placements:assignment_edit", args=[a.pk]),
            )
        )

    withdrew = str(_("%(name)s withdrew their consent to data processing."))
    never = str(_("%(name)s has no recorded consent to data processing."))
    without_consent = participants.without_processing_consent().only(
        *NAME_FIELDS, "consent_data_processing_withdrawn_on"
    )
    for p in without_consent[:limit]:
        items.append(
            AttentionItem(
                (withdrew if p.consent_data_processing_withdrawn_on else never) % {"name": p.full_name},
                learner_url(p.pk),
                "danger",
            )
        )

    # Documents must be valid until the learner comes home.
    travelling = (
        active.filter(placement__project=project, placement__end_date__gte=today)
        .filter(
            Q(participant__id_document_expiry=None)
            | Q(participant__id_document_expiry__lt=F("placement__end_date"))
            | Q(participant__health_insurance_expiry=None)
            | Q(participant__health_insurance_expiry__lt=F("placement__end_date"))
        )
        .select_related("participant", "placement")
    )
    for a in travelling[:limit]:
        items.append(
            AttentionItem(
                _("%(name)s: ID document or health-insurance card missing or expiring before %(end)s.")
                % {"name": a.participant.full_name, "end": a.placement.end_date},
                reverse("preparation:learner", args=[a.pk]),
                "danger",
            )
        )

    soon = list(
        Placement.objects.filter(
            project=project, start_date__gte=today, start_date__lte=today + timedelta(days=30)
        ).annotate(planned=Count("assignments", filter=Q(assignments__status=Assignment.Status.PLANNED)))
    )
    for placement in soon:
        if placement.planned:
            items.append(
                AttentionItem(
                    ngettext(
                        "%(placement)s starts on %(start)s and %(count)d learner is not confirmed yet.",
                        "%(placement)s starts on %(start)s and %(count)d learners are not confirmed yet.",
                        placement.planned,
                    )
                    % {"placement": placement.title, "start": placement.start_date, "count": placement.planned},
                    placement.get_absolute_url(),
                    "danger",
                )
            )
    # Before departure: the readiness checklist (preparation) says who cannot travel yet.
    from preparation.selectors import flow_readiness

    for placement in sorted(soon, key=lambda placement: placement.start_date):
        rows = flow_readiness(placement)
        waiting = sum(1 for row in rows if not row.go)
        if waiting:
            items.append(
                AttentionItem(
                    ngettext(
                        "%(placement)s: %(count)d learner is not ready to travel.",
                        "%(placement)s: %(count)d learners are not ready to travel.",
                        waiting,
                    )
                    % {"placement": placement.title, "count": waiting},
                    reverse("preparation:flow", args=[placement.pk]),
                )
            )
    due = due_for_anonymisation().count()
    if due:
        items.append(
            AttentionItem(
                ngettext(
                    "%(count)d learner's retention period is over: anonymise them.",
                    "%(count)d learners' retention period is over: anonymise them.",
                    due,
                )
                % {"count": due},
                reverse("privacy:due"),
            )
        )
    from public.models import Submission

    waiting = Submission.objects.filter(project=project, status=Submission.Status.PENDING).count()
    if waiting:
        items.append(
            AttentionItem(
                ngettext(
                    "%(count)d good-practice submission waits for moderation.",
                    "%(count)d good-practice submissions wait for moderation.",
                    waiting,
                )
                % {"count": waiting},
                reverse("public:manage_submissions"),
            )
        )
    # What other apps flag (agreements to renew, words waiting for approval...), through common.sections.
    for contributed in contributions(ATTENTION, project):
        items += [AttentionItem(text, url, severity) for text, url, severity in contributed]
    order = {"danger": 0, "warning": 1}
    return sorted(items, key=lambda item: order[item.severity])


def public_results(project):
    """The public home page's figures that come from this app (common.sections.PUBLIC_RESULTS): one query."""
    from .models import Certificate

    return {
        "certificates": Certificate.objects.filter(
            assignment__placement__project=project, revoked_at__isnull=True
        ).count(),
    }
