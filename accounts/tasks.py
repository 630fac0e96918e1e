"""Mail that must leave after the answer: a password-reset email sent inside the request would make the answer
to a registered address slower (an SMTP round trip) than to an unknown one, and tell who has an account."""

from celery import shared_task
from django.core.mail import send_mail


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def send_email(subject, body, from_email, to):
    send_mail(subject, body, from_email, [to])
