"""Sections that one app contributes to what another app shows, so that the app showing them imports none of
its contributors (nothing imports upwards).

An app registers its contributor in its `AppConfig.ready()`: `contribute(FINAL_REPORT, function)`; the page or
document asks for `contributions(FINAL_REPORT, project)` and gets what every contributor returned, in the order
the apps load. The section's name is the contract: what the function takes and returns is written below.
"""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

# function(project) -> {"dissemination": [entry, ...]} and/or {"conference": table} and/or {"tables": [dict of
# reports.final_report.Table's fields (key, title, sheet, headers, rows, total, widths), ...]}: reports.final_report
FINAL_REPORT = "final_report"
# function(project) -> {"attendance_rate": float | None, "certificates": int}: the public home page's figures
PUBLIC_RESULTS = "public_results"
# function(participant) -> None, inside privacy.services.anonymise's transaction: the app forgets what it holds
# about the learner in their own words (answers, links), keeping what the statistics count
ANONYMISE = "anonymise"
# function(participant, user) -> [{"template": name, "context": dict}, ...]: panels on the learner's page
# (participants' detail), each already limited to what `user` may see
PARTICIPANT_RECORD = "participant_record"
# function(participant) -> {name: [model instance or plain dict, ...]}: what the app holds about the learner,
# added to the export of everything held about them (privacy/export.py, the right of access)
PERSONAL_DATA = "personal_data"
# function(project) -> [(text, url, severity "danger" | "warning"), ...]: the dashboard's "Needs attention"
ATTENTION = "attention"

_sections: defaultdict[str, list[Callable[..., Any]]] = defaultdict(list)


def contribute(section: str, function: Callable[..., Any]) -> None:
    if function not in _sections[section]:
        _sections[section].append(function)


def contributions(section: str, *args: Any, **kwargs: Any) -> list[Any]:
    """What every contributor to `section` returns, called with the arguments given."""
    return [function(*args, **kwargs) for function in _sections[section]]
