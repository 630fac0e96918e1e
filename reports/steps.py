"""The project checklist's steps on the certificates and the final report (common.sections.PROJECT_STEPS).
One query, however many flows and learners: the flows come with their learners and certificates counted
(flow_figures)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from documents.models import DocumentJob
from placements.checklist import Step, flow_count
from placements.models import Assignment, Placement, Project


def flow_figures() -> dict[str, Count]:
    """The learners of each flow with a certificate not revoked (common.sections.FLOW_FIGURES)."""
    return {
        "certified": flow_count(
            "assignments",
            ~Q(assignments__status=Assignment.Status.WITHDRAWN)
            & Q(assignments__certificate__isnull=False, assignments__certificate__revoked_at=None),
        )
    }


def project_steps(project: Project, today: date, flows: list[Placement]) -> list[Step]:
    documents_missing = []
    for flow in flows:
        if flow.end_date > today:
            documents_missing.append(
                (
                    _("%(flow)s: certificates from %(day)s, the stage's last day.")
                    % {"flow": flow.title, "day": flow.end_date.strftime("%d.%m.%Y")},
                    reverse("assessments:placement", args=[flow.pk]),
                )
            )
        elif flow.certified < flow.learners:
            documents_missing.append(
                (
                    ngettext(
                        "%(flow)s: %(count)d learner without a certificate.",
                        "%(flow)s: %(count)d learners without a certificate.",
                        flow.learners - flow.certified,
                    )
                    % {"flow": flow.title, "count": flow.learners - flow.certified},
                    reverse("assessments:placement", args=[flow.pk]),
                )
            )
    project_page = reverse("placements:project_detail", args=[project.pk])
    if not flows:
        documents_missing.append((_("Make a flow first."), project_page + "#placements"))
    last_day = max((f.end_date for f in flows), default=None)
    report_made = DocumentJob.objects.filter(
        kind__in=[DocumentJob.Kind.FINAL_REPORT, DocumentJob.Kind.FINAL_REPORT_XLSX],
        status=DocumentJob.Status.DONE,
        params__project=project.pk,
        created_at__date__gt=last_day or project.end_date,
    ).exists()
    report_missing = []
    if not report_made:
        report_missing.append(
            (
                _("Make the final report once every stage has ended and its certificates are issued.")
                if documents_missing
                else _("Make the final report."),
                project_page + "#final-report",
            )
        )
    return [
        Step(
            90,
            "documents",
            _("Certificates and documents"),
            bool(flows) and not documents_missing,
            reverse("documents:documents"),
            documents_missing,
            not_before=last_day,
        ),
        Step(100, "final_report", _("Final report"), report_made, project_page + "#final-report", report_missing),
    ]
