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
# function(project) -> {"certificates": int}: the public home page's figures kept by other apps
PUBLIC_RESULTS = "public_results"
# function(assignment) -> [(filename, pdf bytes, note), ...]: the learner's documents an app makes, added to the
# export of everything held about them (privacy.export), which imports none of the apps that make them
LEARNER_DOCUMENTS = "learner_documents"
# function(project) -> [{"title": str, "url": str, "closes_on": date, "open": bool}, ...]: the public home page's
# calls for applications
PUBLIC_CALLS = "public_calls"
# function(participant_id, assignment_ids, values, scrub) -> [private file path, ...] or None, inside
# privacy.services.anonymise's transaction: replace the learner's personal data the contributing app holds
# (`values`: the anonymous names, date of birth and contacts; `scrub(value)`: the text, or JSON, with the
# learner's names taken out); the files returned are deleted after the commit
ANONYMISE = "anonymise"
# function(participant) -> str or None: why the learner cannot be anonymised yet (and until when), e.g. the
# project's accounts still need their name; privacy.services.anonymisation_refusal refuses with the first reason
ANONYMISATION_HOLD = "anonymisation_hold"
# function(participant, assignment_ids, row) -> {key: JSON-able value}: what the contributing app holds about a
# learner, added to the export of everything held about them (privacy.export; `row(obj)` gives a record's fields)
LEARNER_EXPORT = "learner_export"
# function(participant, user) -> [{"template": name, "context": dict}, ...]: panels on the learner's page
# (participants' detail), each already limited to what `user` may see, in the order the apps load (placements'
# first: the learner's placements)
PARTICIPANT_RECORD = "participant_record"
# function(participant, user) -> panels as PARTICIPANT_RECORD's, shown after them: the personal data held about the
# learner (privacy: their files, how long the data is kept, who looked at it)
PARTICIPANT_DATA = "participant_data"
# function(participant, user, action, detail="") -> None: a line in the personal-data log (privacy fills it; there
# is one, see the_one), `action` one of privacy.models.PersonalDataLog.Action's values ("viewed", "edit_opened"):
# participants' pages note that someone looked at or opened a learner's restricted data
PERSONAL_DATA_LOG = "personal_data_log"
# function(participant, mentor) -> bool: whether the learner's mentor sees their emergency contact now (placements:
# from a few days before a placement of theirs with the learner until a few days after it); participants' detail
# shows it when a contributor says so
EMERGENCY_CONTACT = "emergency_contact"
# function(participant) -> [{"title": str, "status": str, "url": str}, ...]: what still expects the learner, so that
# they are not archived yet (placements: the assignments neither withdrawn nor completed, each with the page that
# changes it); participants' archive lists them and refuses while there is one
ARCHIVE_HOLD = "archive_hold"
# function(participants, user) -> {participant pk: [{"title": str, "status": str}, ...]}: what the learners' list
# (participants' list) shows in its placement column for the learners of its page (placements: each assignment's
# placement and status), limited to what `user` may see, in a fixed number of queries whatever the page holds
PARTICIPANT_ROWS = "participant_rows"
# function(queryset, params) -> queryset: a filter of the learners' list (participants' list) that the app knowing
# it reads from the page's query parameters (placements: `assigned`, "yes" or "no": an assignment not withdrawn)
PARTICIPANT_FILTERS = "participant_filters"
# function(project) -> [(text, url, severity "danger" | "warning"), ...]: the dashboard's "Needs attention"
ATTENTION = "attention"
# function(project, today, flows) -> [placements.checklist.Step, ...]: the project's own checklist
# (placements.checklist), each step ticked from the data in a fixed number of queries, whatever the project holds;
# `flows` are the project's flows not cancelled, in order, read once for every contributor with their title, dates
# and qualification_id and the figures of FLOW_FIGURES
PROJECT_STEPS = "project_steps"
# function() -> {name: aggregate}: figures each of the checklist's flows carries (placements.checklist.project_flows
# annotates the project's flows with them in its one query), read by the same app's PROJECT_STEPS contributor;
# made with placements.checklist.flow_count, which counts distinct rows (the figures' joins multiply each other's)
FLOW_FIGURES = "flow_figures"
# function() -> {name: count}: a retention rule that needs no one's decision, run by privacy's daily task
# (privacy.tasks.apply_retention_rules), which logs and returns the counts
RETENTION = "retention"
# function(*, to, subject, body, purpose, about, school_of_about, language=None, sensitive=False, expires_at=None)
# -> None: the foundation's mail (accounts' password reset and mentor invitations), which leaves through the
# installation's outbox (outbox.apps fills the section; there is one mailer, see the_one): `purpose` one of the
# outbox's purposes by its value, `about` the row the message is about (its reference), `school_of_about` whether
# it is that row's school's mail (else the installation's)
SEND_MAIL = "send_mail"
# function(payment_ids) -> ({payment pk: the learner's signature state or None}, printed, seal): the electronic
# signatures of allowance receipts (grants.receipts), from the signatures app above it (see the_one):
# `printed(states, name)` the print context of signatures and evidence, `seal(pdf, reason=...)` the sealed PDF
RECEIPT_SIGNATURES = "receipt_signatures"

_sections: defaultdict[str, list[Callable[..., Any]]] = defaultdict(list)


def contribute(section: str, function: Callable[..., Any]) -> None:
    if function not in _sections[section]:
        _sections[section].append(function)


def contributions(section: str, *args: Any, **kwargs: Any) -> list[Any]:
    """What every contributor to `section` returns, called with the arguments given."""
    return [function(*args, **kwargs) for function in _sections[section]]


def applied(section: str, value: Any, *args: Any, **kwargs: Any) -> Any:
    """`value` handed to every contributor to `section` in turn, each returning it changed (a list's filters)."""
    for function in _sections[section]:
        value = function(value, *args, **kwargs)
    return value


def the_one(section: str, *args: Any, **kwargs: Any) -> Any:
    """What the one contributor to `section` returns: a service the foundation needs and an app above it gives
    (SEND_MAIL). None registered, or several, is a mistake of the installation, not something to skip quietly."""
    found = _sections[section]
    if len(found) != 1:
        raise LookupError(f"{section!r} needs exactly one contributor, has {len(found)}")
    return found[0](*args, **kwargs)
