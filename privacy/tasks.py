import logging

from celery import shared_task

from . import services

log = logging.getLogger(__name__)


@shared_task
def apply_retention_rules():
    """Daily (beat): the retention rules that need no one's decision run (the public's contact details, the
    outgoing mail, the applicants a call did not select, the host companies' used or expired signing links and the
    scans of sheets signed on paper past their retention); the learners due for anonymisation are listed for the
    coordinator, who decides."""
    from common import sections
    from outbox.services import purge

    removed = services.remove_expired_contact_details()
    if any(removed.values()):
        log.info(
            "contact details removed: %(registrations)d conference registration(s), %(submissions)d submission(s)",
            removed,
        )
    applicants = {"applications": 0, "calls": 0}  # selection's unselected applicants (selection.apps)
    others = {}  # the other apps' rules (signatures.apps: host signing links, scans of sheets signed on paper)
    for counts in sections.contributions(sections.RETENTION):
        for name, count in counts.items():
            (applicants if name in applicants else others)[name] = count
    if applicants["applications"]:
        log.info("%(applications)d unselected application(s) of %(calls)d call(s) erased", applicants)
    for name, count in others.items():
        if count:
            log.info("retention: %d %s deleted", count, name.replace("_", " "))
    purged = purge()
    if purged:
        log.info("%d outgoing message(s) past their retention deleted", purged)
    return {
        **removed,
        "applications": applicants["applications"],
        **others,
        "messages": purged,
        "learners_due": list_due_for_anonymisation(),
    }


@shared_task
def list_due_for_anonymisation():
    """The learners whose retention period is over. Only ids and a count reach the log, never a name; the
    coordinator sees the names on the dashboard and on the page of learners due."""
    due = list(services.due_for_anonymisation().values_list("pk", flat=True))
    if due:
        log.info("%d learner(s) due for anonymisation: ids %s", len(due), due)
    return due
