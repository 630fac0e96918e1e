"""What the public site gives the final report (common.sections): its dissemination entries (articles, news
and the exchange)."""

from typing import Any

from common import sections

from . import services


def final_report_sections(project: Any) -> dict[str, Any]:
    return {"dissemination": services.dissemination_entries(project)}


def register() -> None:
    sections.contribute(sections.FINAL_REPORT, final_report_sections)
