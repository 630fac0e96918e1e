"""Sections that one app contributes to what another app shows, so that the app showing them imports none of
its contributors (nothing imports upwards).

An app registers its contributor in its `AppConfig.ready()`: `contribute(FINAL_REPORT, function)`; the page or
document asks for `contributions(FINAL_REPORT, project)` and gets what every contributor returned, in the order
the apps load. The section's name is the contract: what the function takes and returns is written below.
"""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

# function(project) -> {"dissemination": [entry, ...]} and/or {"conference": table}: reports.final_report
FINAL_REPORT = "final_report"
# function(project) -> {"certificates": int}: the public home page's figures kept by other apps
PUBLIC_RESULTS = "public_results"
# What an app holds about one learner, for privacy's right-of-access export and anonymisation, which import
# none of the apps that hold it:
# function(assignment_ids) -> {name: [model instance, ...]}: rows added to the export's data.json
LEARNER_DATA = "learner_data"
# function(assignment) -> [(filename, pdf bytes, note), ...]: documents added to the export's ZIP
LEARNER_DOCUMENTS = "learner_documents"
# function(assignment_ids, scrub, holder) -> [private file path, ...]: called inside anonymisation's transaction;
# rewrites the app's rows that name the learner (`scrub(value)` removes the names from text and JSON, `holder`
# holds the anonymous first_name, last_name and date_of_birth) and returns the files to delete after the commit
LEARNER_ANONYMISED = "learner_anonymised"

_sections: defaultdict[str, list[Callable[..., Any]]] = defaultdict(list)


def contribute(section: str, function: Callable[..., Any]) -> None:
    if function not in _sections[section]:
        _sections[section].append(function)


def contributions(section: str, *args: Any, **kwargs: Any) -> list[Any]:
    """What every contributor to `section` returns, called with the arguments given."""
    return [function(*args, **kwargs) for function in _sections[section]]
