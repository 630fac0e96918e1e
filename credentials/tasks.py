"""The documents worker makes an issued Europass Mobility's files (PDFs, digital credential) once."""

from celery import shared_task
from django.db import DatabaseError


@shared_task(
    queue="documents",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError, OSError),
    retry_backoff=5,
    max_retries=4,
)
def make_files(europass_id: int) -> None:
    from . import services
    from .models import EuropassMobility

    europass = EuropassMobility.objects.filter(pk=europass_id, status=EuropassMobility.Status.ISSUED).first()
    if europass is not None:
        services.make_files(europass)
