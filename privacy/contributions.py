"""What this app gives the learners' pages (participants, below it) through common.sections: the panels of the
personal data held about a learner, and the personal-data log their pages write to."""

from typing import Any

from accounts.roles import is_mentor, sees_restricted_of

from .access import files_for
from .models import PersonalDataLog, record
from .services import anonymisation_due_on


def participant_data(participant: Any, user: Any) -> list[dict[str, Any]]:
    """common.sections.PARTICIPANT_DATA: the learner's files (for the office: mentors see none) and, for whom reads
    the learner's restricted data (accounts.roles.sees_restricted_of), how long the data is kept and its log."""
    restricted = sees_restricted_of(user, participant)
    panels = []
    if not is_mentor(user):
        files = list(files_for(user, participant))
        panels.append(
            {
                "template": "privacy/partials/files_panel.html",
                "context": {"participant": participant, "files": files, "restricted": restricted},
            }
        )
    if restricted:
        context = {
            "participant": participant,
            "anonymisation_due_on": anonymisation_due_on(participant),
            "data_log": participant.data_log.select_related("user")[:20],
        }
        panels.append({"template": "privacy/partials/personal_data_panel.html", "context": context})
    return panels


def log(participant: Any, user: Any, action: str, detail: str = "") -> None:
    """common.sections.PERSONAL_DATA_LOG: `action` by its value; one that the log does not know is a mistake of
    the caller, not a line to store as given (ValueError)."""
    record(participant, user, PersonalDataLog.Action(action), detail)
