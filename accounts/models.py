from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.validators import phone_validator


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    STAFF = "staff", _("Staff (read only)")
    MENTOR = "mentor", _("Mentor")


class User(AbstractUser):
    """A person who signs in. What they may see and do follows from `role` (see accounts.roles)."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    organisation = models.ForeignKey(
        "placements.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("For a mentor: the host company where they work."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[phone_validator])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="mentor") | models.Q(organisation__isnull=False),
                name="mentor_has_organisation",
                violation_error_message=_("A mentor must belong to a host company."),
            )
        ]

    def __str__(self):
        return self.get_full_name() or self.username
