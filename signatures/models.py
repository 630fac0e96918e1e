"""Simple electronic signatures with their evidence.

What is signed is data, not a picture of it: a learner's attendance week as a canonical serialisation of its
days (each with its record version), a learning agreement as its content, whose SHA-256 each signer agrees to
(signatures/services.py); `document` names the kind and `subject` the one signed (kind and ids). The events
are append-only: the ORM refuses to change or delete one (and a database trigger refuses it below the ORM), and
each carries the hash of the one before, so that a removed or altered event breaks the chain for anyone who
recomputes it. A signature is not voided by writing: it is void when what it signed no longer matches the days.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.private_files import PrivateFile


class AppendOnly(Exception):
    pass


class SignatureEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("signature events are never changed")

    def delete(self):
        raise AppendOnly("signature events are never deleted")


class SignatureEvent(models.Model):
    project_path = "assignment__placement__project"  # the way to its school, for accounts.roles.scoped

    class Role(models.TextChoices):
        MENTOR = "mentor", _("Mentor")
        LEARNER = "learner", _("Learner")
        HOST = "host", _("Host company's representative")
        SCHOOL = "school", _("Sending school (coordinator)")

    class Method(models.TextChoices):
        SESSION = "session", _("Signed in to the application")
        CODE_DRAWN = "code-drawn", _("Personal signing code and drawn signature")
        CODE_TYPED = "code-typed", _("Personal signing code and typed name")
        TWO_FACTOR = "session-2fa", _("Signed in to the application with a second factor")
        EMAIL_CODE = "email-code", _("Link sent by e-mail and a one-time code sent to the same address")
        EMAIL_CODE_DRAWN = (
            "email-code-drawn",
            _("Link sent by e-mail, a one-time code sent to the same address, and drawn signature"),
        )

    document = models.CharField(_("document"), max_length=40)
    subject = models.CharField(_("what is signed"), max_length=100, db_index=True)
    assignment = models.ForeignKey(
        "placements.Assignment", on_delete=models.PROTECT, related_name="+", verbose_name=_("assignment")
    )
    week_start = models.DateField(_("week starting"), null=True)
    content = models.TextField(_("content signed"))
    content_hash = models.CharField(_("SHA-256 of the content"), max_length=64)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("signer")
    )
    signer_name = models.CharField(_("signer's name"), max_length=200)
    # None when the signer used their own device from a link (a host company's representative).
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("on the device of"),
    )
    method = models.CharField(_("identified by"), max_length=20, choices=Method.choices)
    consent_text = models.TextField(_("consent sentence shown"))
    consent_hash = models.CharField(_("SHA-256 of the consent sentence"), max_length=64)
    signed_at = models.DateTimeField(_("signed at (server)"))
    device_time = models.CharField(_("device's clock"), max_length=40, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True)
    user_agent = models.CharField(_("browser"), max_length=400, blank=True)
    strokes = models.JSONField(_("drawn signature (strokes)"), default=list, blank=True)
    svg = models.TextField(_("drawn signature (SVG)"), blank=True)
    typed_name = models.CharField(_("typed name"), max_length=200, blank=True)
    previous_hash = models.CharField(_("hash of the previous event"), max_length=64, unique=True)
    event_hash = models.CharField(_("hash of this event"), max_length=64, unique=True)

    objects = SignatureEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.subject} {self.role} {self.signer_name}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise AppendOnly("signature events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("signature events are never deleted")

    @property
    def code(self):
        """The verification code printed with the signature: the start of the event's hash."""
        return self.event_hash[:16].upper()


class SigningCode(models.Model):
    """A learner's personal signing code: never stored. It is derived from the server's secret and this
    row's generation (signatures.services.code_for), printed on the learner's "My trip" page, and changed by
    a coordinator's reset (a new generation). Wrong codes are counted here; three lock signing for a while."""

    project_path = "assignment__placement__project"  # the way to its school, for accounts.roles.scoped
    learner_path = "assignment__participant"  # a consortium's member school sees its own learners'

    assignment = models.OneToOneField(
        "placements.Assignment", on_delete=models.CASCADE, related_name="signing_code", verbose_name=_("assignment")
    )
    generation = models.PositiveIntegerField(default=0)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    reset_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reset_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("signing code")
        verbose_name_plural = _("signing codes")

    def __str__(self):
        return str(self.assignment)


class HostSigningLink(models.Model):
    """A link e-mailed to a host company's representative to sign a learner's learning agreement on their own
    device, with a one-time code sent to the same address when they open it. Only hashes are kept (of the link's
    token and of the code); the link expires and signs once; wrong codes are counted and three end the code."""

    project_path = "assignment__placement__project"  # the way to its school, for accounts.roles.scoped

    assignment = models.ForeignKey(
        "placements.Assignment", on_delete=models.CASCADE, related_name="+", verbose_name=_("assignment")
    )
    name = models.CharField(_("representative's name"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    code_hash = models.CharField(max_length=64, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("host signing link")
        verbose_name_plural = _("host signing links")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} {self.assignment_id}"


class PaperSheet(PrivateFile):
    """A scan of a week's attendance sheet signed on paper (the route for whoever cannot sign on a phone): a PDF,
    checked by signatures.paper before it is kept."""

    project_path = "placement__project"  # the way to its school, for accounts.roles.scoped

    # path, original_name, content_type, size, uploaded_by, uploaded_at: common.private_files.PrivateFile
    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.PROTECT, related_name="+", verbose_name=_("flow")
    )
    week_start = models.DateField(_("week starting"))

    class Meta:
        verbose_name = _("signed sheet on paper")
        verbose_name_plural = _("signed sheets on paper")
        ordering = ["week_start", "pk"]

    def __str__(self):
        return self.original_name
