"""The final report's budget section (common.sections.FINAL_REPORT): the figures of the project's latest
snapshot, so that a report states the same figures however the rates change later. Without one, the report
states today's figures and says they are not kept: making a report (a preview too) never keeps figures; only
the coordinator's "Keep today's figures" on the budget page does."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from placements.models import Project

from .models import PREPARATORY, BudgetSnapshot, Category


def reported_snapshot(project: Project) -> BudgetSnapshot:
    """The latest kept snapshot, else today's figures in an unsaved one (`pk` None)."""
    from . import selectors

    snapshot = BudgetSnapshot.objects.filter(project=project).first()
    if snapshot is None:
        summary = selectors.budget_summary(selectors.project_budget(project))
        snapshot = BudgetSnapshot(project=project, data=summary, taken_at=timezone.now())
    return snapshot


def final_report_sections(project: Project) -> dict[str, Any]:
    """{"budget": {"rate_table", "taken_at", "categories": [{label, awarded, actual, spent}], "counts": [...]}}:
    amounts as strings with two decimals (EUR)."""
    snapshot = reported_snapshot(project)
    labels = {**dict(Category.choices), PREPARATORY: _("Preparatory visits")}
    return {
        "budget": {
            "rate_table": snapshot.data.get("rate_table", ""),
            "taken_at": snapshot.taken_at.date().isoformat(),
            "kept": snapshot.pk is not None,
            "categories": [
                {
                    "label": str(labels.get(row["category"], row["category"])),
                    "awarded": row["awarded"],
                    "actual": row["actual"],
                    "spent": row["spent"],
                }
                for row in snapshot.data.get("categories", [])
            ],
            "counts": snapshot.data.get("counts", []),
        }
    }
