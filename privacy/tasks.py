import logging

from celery import shared_task

from . import services

log = logging.getLogger(__name__)


@shared_task
def list_due_for_anonymisation():
    """Daily: the learners whose retention period is over. Only ids and a count reach the log, never a name;
    the coordinator sees the names on the dashboard and on the page of learners due."""
    due = list(services.due_for_anonymisation().values_list("pk", flat=True))
    if due:
        log.info("%d learner(s) due for anonymisation: ids %s", len(due), due)
    return due
