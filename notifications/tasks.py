from celery import shared_task

from . import services


@shared_task
def send_daily_reminders():
    """Run by the beat every hour (mobility/settings.py CELERY_BEAT_SCHEDULE); running it twice sends nothing
    new (services.claim)."""
    return services.send_daily_reminders()
