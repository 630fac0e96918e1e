import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_verification_code():
    return secrets.token_urlsafe(12)


class Certificate(models.Model):
    """A learner's mobility certificate, issued once from a frozen copy of its data.

    Rendering the same frozen data again gives the same file (same SHA-256), so a reissue is identical.
    """

    project_path = "assignment__placement__project"  # the way to its school, for accounts.roles.scoped
    learner_path = "assignment__participant"  # the way to its learner: a consortium member school sees its own

    assignment = models.OneToOneField(
        "placements.Assignment", on_delete=models.PROTECT, related_name="certificate", verbose_name=_("assignment")
    )
    number = models.CharField(_("number"), max_length=40, unique=True)
    verification_code = models.CharField(max_length=32, unique=True, default=new_verification_code)
    data = models.JSONField()
    file = models.CharField(max_length=300, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["number"]

    def __str__(self):
        return self.number

    @property
    def is_valid(self):
        return self.revoked_at is None
