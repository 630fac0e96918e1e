"""The final report's budget section (common.sections.FINAL_REPORT): the figures of the project's latest
snapshot, taken now if there is none, so that a report states the same figures however the rates change later."""

from __future__ import annotations

from typing import Any

from placements.models import Project

from .models import BudgetSnapshot, Category


def reported_snapshot(project: Project) -> BudgetSnapshot:
    from . import services

    snapshot = BudgetSnapshot.objects.filter(project=project).first()
    return snapshot or services.take_snapshot(project=project, user=None)


def final_report_sections(project: Project) -> dict[str, Any]:
    """{"budget": {"rate_table", "taken_at", "categories": [{label, awarded, actual, spent}], "counts": [...]}}:
    amounts as strings with two decimals (EUR)."""
    snapshot = reported_snapshot(project)
    labels = dict(Category.choices)
    return {
        "budget": {
            "rate_table": snapshot.data.get("rate_table", ""),
            "taken_at": snapshot.taken_at.date().isoformat(),
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
