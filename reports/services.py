"""Figures about a project and what needs a coordinator's attention. A fixed number of queries each."""

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import BooleanField, Case, Count, F, Q, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.sections import ATTENTION, contributions
from common.urls import url_for_each
from participants.models import Participant
from placements.checklist import contributed_figures
from placements.models import Assignment, Placement
from privacy.services import due_for_anonymisation

NAME_FIELDS = ("first_name", "last_name")
CONSENT_FIELDS = ("consent_data_processing_on", "consent_data_processing_withdrawn_on")


@dataclass
class ProjectFlows:
    """A project's flows and their learners' assignments, read once for every part of the dashboard (its figures,
    checklist, "Needs attention", attendance and table of placements)."""

    # Every flow of the project, in the placements' order, with its project, qualification and work pattern, each
    # figure of common.sections.FLOW_FIGURES, and counted here: `learners` (not withdrawn, also
    # as `learner_count`, Placement.objects.for_list's name), `unplaced` (of those, without a host company or
    # mentor) and `planned` (not confirmed yet).
    placements: list
    # (pk, placement_id, status, host_company_id, mentor_id, first name, last name, ID document's expiry,
    # health-insurance card's expiry, participant_id) of every assignment on them, in the assignments' order (the
    # learners').
    assignments: list


def project_flows(project):
    """Two queries, however many flows and learners: the flows with the figures other apps count on them, and the
    assignments' few columns, counted here rather than by the database (each filtered count costs more to build
    than the rows cost to read)."""
    # Not the flows' and the qualification's descriptions and tasks, which no part of the dashboard shows: fewer
    # columns to select and group by.
    placements = list(
        Placement.objects.filter(project=project)
        .select_related("qualification", "work_pattern")
        .defer("description", "tasks", "qualification__description")
        .annotate(**contributed_figures())
    )
    assignments = list(
        Assignment.objects.filter(placement__project=project).values_list(
            "pk",
            "placement_id",
            "status",
            "host_company_id",
            "mentor_id",
            *(f"participant__{name}" for name in NAME_FIELDS),
            "participant__id_document_expiry",
            "participant__health_insurance_expiry",
            "participant_id",
        )
    )
    counts = {placement.pk: Counter() for placement in placements}
    for _pk, placement_id, status, host_company_id, mentor_id, *_rest in assignments:
        count = counts[placement_id]
        if status != Assignment.Status.WITHDRAWN:
            count["learners"] += 1
            if host_company_id is None or mentor_id is None:
                count["unplaced"] += 1
        if status == Assignment.Status.PLANNED:
            count["planned"] += 1
    for placement in placements:
        placement.project = project
        count = counts[placement.pk]
        placement.learners = placement.learner_count = count["learners"]
        placement.unplaced, placement.planned = count["unplaced"], count["planned"]
    return ProjectFlows(placements, assignments)


def project_figures(project, flows=None):
    """Two queries: the learners by qualification and gender, the flows with their assignments by status and
    host company; one when the project's flows are read already (`flows`, a ProjectFlows)."""
    by_gender = {}
    by_qualification = []
    rows = (
        Participant.objects.active()
        .filter(project=project)
        .values_list("qualification__name", "gender")
        .annotate(n=Count("pk"))
        .order_by("qualification__name", "gender")
    )
    for name, gender, n in rows:
        by_gender[gender] = by_gender.get(gender, 0) + n
        if by_qualification and by_qualification[-1]["qualification__name"] == name:
            by_qualification[-1]["n"] += n
        else:
            by_qualification.append({"qualification__name": name, "n": n})
    statuses = Assignment.Status.choices
    if flows is not None:
        by_status = Counter(status for _pk, _placement, status, *_rest in flows.assignments)
        hosts = {host for _pk, _p, status, host, *_rest in flows.assignments if status != Assignment.Status.WITHDRAWN}
        hosts.discard(None)
        flows = {
            "placements": len(flows.placements),
            "host_companies": len(hosts),
            **{f"status_{i}": by_status[value] for i, (value, _l) in enumerate(statuses)},
        }
    else:
        flows = Placement.objects.filter(project=project).aggregate(
            placements=Count("pk", distinct=True),
            host_companies=Count(
                "assignments__host_company",
                filter=~Q(assignments__status=Assignment.Status.WITHDRAWN),
                distinct=True,
            ),
            **{
                f"status_{i}": Count("assignments", filter=Q(assignments__status=value))
                for i, (value, _l) in enumerate(statuses)
            },
        )
    return {
        "participants": sum(by_gender.values()),
        "female": by_gender.get(Participant.Gender.FEMALE, 0),
        "male": by_gender.get(Participant.Gender.MALE, 0),
        "by_qualification": by_qualification,
        "placements": flows["placements"],
        "host_companies": flows["host_companies"],
        "assignment_statuses": [(label, flows[f"status_{i}"]) for i, (_v, label) in enumerate(statuses)],
    }


@dataclass
class AttentionItem:
    text: str
    url: str
    severity: str = "warning"


def attention_items(project, limit=50, flows=None):
    """Things a coordinator should fix before the learners travel, most urgent first. `flows`: the project's flows
    and assignments already read (project_flows), which spares three queries."""
    today = timezone.localdate()
    items = []
    participants = Participant.objects.active().filter(project=project)

    # A learner who came home early went all the same: only a learner with no placement, or withdrawn before
    # theirs began (a place the reserve list may fill), is still to be placed. Two plain queries (cheaper to build
    # than one with a correlated subquery): the learners with their consent, and those placed or who went (none
    # when the flows' assignments are read already: a project's learners go on its own flows, as the assignment
    # form requires); each list in the learners' order and cut at `limit`.
    learners = participants.order_by("name_key", "pk").values_list("pk", *NAME_FIELDS, *CONSENT_FIELDS)
    if flows is not None:
        starts = {placement.pk: placement.start_date for placement in flows.placements}
        placed_or_went = {
            learner
            for _pk, placement_id, status, *_rest, learner in flows.assignments
            if not (status == Assignment.Status.WITHDRAWN and starts[placement_id] > today)
        }
    else:
        placed_or_went = set(
            Assignment.objects.filter(participant__project=project)
            .exclude(status=Assignment.Status.WITHDRAWN, placement__start_date__gt=today)
            .order_by()
            .values_list("participant_id", flat=True)
        )
    unassigned, without_consent = [], []
    for pk, first_name, last_name, consent_on, withdrawn_on in learners:
        name = f"{first_name} {last_name}"  # Participant.full_name
        if pk not in placed_or_went and len(unassigned) < limit:
            unassigned.append((pk, name))
        # ParticipantQuerySet.WITHOUT_PROCESSING_CONSENT, on the row read
        if (consent_on is None or withdrawn_on is not None) and len(without_consent) < limit:
            without_consent.append((pk, name, withdrawn_on))
    # A learner's name and link is all an item shows: not their forty columns, one reverse() for all of them.
    learner_url = url_for_each("participants:detail")
    for pk, name in unassigned:
        items.append(AttentionItem(_("%(name)s is not assigned to a placement.") % {"name": name}, learner_url(pk)))

    # One query for the learners without a host company or mentor and those whose documents expire too early:
    # documents must be valid until the learner comes home. None when the flows are read already.
    if flows is not None:
        incomplete, travelling = flows_to_fix(flows, today, limit)
    else:
        incomplete, travelling = assignments_to_fix(project, today, limit)
    for pk, name, placement in incomplete:
        items.append(
            AttentionItem(
                _("%(name)s has no host company or mentor on %(placement)s.")
                % {"name": name, "placement": placement.title},
                reverse("placements:assignment_edit", args=[pk]),
            )
        )

    withdrew = str(_("%(name)s withdrew their consent to data processing."))
    never = str(_("%(name)s has no recorded consent to data processing."))
    for pk, name, withdrawn_on in without_consent:
        items.append(AttentionItem((withdrew if withdrawn_on else never) % {"name": name}, learner_url(pk), "danger"))

    for pk, name, placement in travelling:
        items.append(
            AttentionItem(
                _("%(name)s: ID document or health-insurance card missing or expiring before %(end)s.")
                % {"name": name, "end": placement.end_date},
                reverse("preparation:learner", args=[pk]),
                "danger",
            )
        )

    if flows is not None:
        soon = [p for p in flows.placements if today <= p.start_date <= today + timedelta(days=30)]
    else:
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
    # This project's learners only: the list it links to is the user's schools' (privacy.views.DueView).
    due = due_for_anonymisation().filter(project=project).count()
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


def assignments_to_fix(project, today, limit):
    """([(assignment pk, learner's name, placement)] without a host company or mentor, [the same] travelling with
    documents that expire before they come home), each in the learners' order and cut at `limit`: one query."""
    incomplete_q = Q(host_company=None) | Q(mentor=None)
    travelling_q = Q(placement__end_date__gte=today) & (
        Q(participant__id_document_expiry=None)
        | Q(participant__id_document_expiry__lt=F("placement__end_date"))
        | Q(participant__health_insurance_expiry=None)
        | Q(participant__health_insurance_expiry__lt=F("placement__end_date"))
    )
    to_fix = (
        Assignment.objects.exclude(status=Assignment.Status.WITHDRAWN)
        .filter(placement__project=project)
        .filter(incomplete_q | travelling_q)
        .annotate(
            incomplete=Case(When(incomplete_q, then=True), default=False, output_field=BooleanField()),
            travelling=Case(When(travelling_q, then=True), default=False, output_field=BooleanField()),
        )
        .select_related("participant", "placement")
        .only("pk", "participant__first_name", "participant__last_name", "placement__title", "placement__end_date")
    )
    incomplete, travelling = [], []
    for a in to_fix:
        if a.incomplete and len(incomplete) < limit:
            incomplete.append((a.pk, a.participant.full_name, a.placement))
        if a.travelling and len(travelling) < limit:
            travelling.append((a.pk, a.participant.full_name, a.placement))
    return incomplete, travelling


def flows_to_fix(flows, today, limit):
    """assignments_to_fix's two lists out of the project's flows already read (a ProjectFlows): no query."""
    placements = {placement.pk: placement for placement in flows.placements}
    incomplete, travelling = [], []
    for pk, placement_id, status, host, mentor, first_name, last_name, id_expiry, card_expiry, _l in flows.assignments:
        if status == Assignment.Status.WITHDRAWN:
            continue
        placement = placements[placement_id]
        name = f"{first_name} {last_name}"  # Participant.full_name
        if (host is None or mentor is None) and len(incomplete) < limit:
            incomplete.append((pk, name, placement))
        end = placement.end_date
        expiring = id_expiry is None or id_expiry < end or card_expiry is None or card_expiry < end
        if end >= today and expiring and len(travelling) < limit:
            travelling.append((pk, name, placement))
    return incomplete, travelling


def public_results(project):
    """The public home page's figures that come from this app (common.sections.PUBLIC_RESULTS): one query."""
    from .models import Certificate

    return {
        "certificates": Certificate.objects.filter(
            assignment__placement__project=project, revoked_at__isnull=True
        ).count(),
    }
