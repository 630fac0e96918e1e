from celery import shared_task
from django.db import DatabaseError

from . import services


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=5,
    max_retries=services.MAX_ATTEMPTS,
    soft_time_limit=60,
    time_limit=90,
)
def send_message(self, message_id):
    """Send one outgoing message; a failed attempt comes back after its backoff, the last one fails it. A
    delivery of a message already sent, failed or being sent does nothing (services.deliver claims it)."""
    outcome = services.deliver(message_id)
    if outcome.retry_in:
        raise self.retry(countdown=outcome.retry_in, max_retries=services.MAX_ATTEMPTS)


@shared_task
def sweep_outbox():
    return services.sweep()
