"""Mail servers for the tests that need one that misbehaves."""

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down: every connection is refused, as smtplib reports it."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")
