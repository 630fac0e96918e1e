from base64 import b32encode

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from django_otp.plugins.otp_static.models import StaticDevice

from common.locales import validate_zone
from common.validators import phone_validator


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    STAFF = "staff", _("Staff (read only)")
    MENTOR = "mentor", _("Mentor")
    # A funder or a national body: the open figures of the schools they oversee (their memberships), nothing else.
    OBSERVER = "observer", _("Funder or national body (figures only)")


oid_validator = RegexValidator(
    r"^E\d{8}$", _("An Erasmus+ organisation ID is the letter E followed by 8 digits, e.g. E10123456.")
)


class Organisation(models.Model):
    """A school (kind "sending"), a receiving partner, a host company or a local employer, as one school's
    address book holds it. Each school keeps its own record of a company (its notes, contacts, agreements),
    so the same company worked with by two schools is two records with the same OID; an installation upgraded
    from one school keeps one record in every school's book (placements/0005)."""

    school_path = "schools"  # the way to its schools, for accounts.roles.scoped

    class Kind(models.TextChoices):
        SENDING = "sending", _("Sending school")
        RECEIVING = "receiving", _("Receiving partner (intermediary)")
        HOST = "host", _("Host company")
        EMPLOYER = "employer", _("Local employer")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    oid = models.CharField(_("organisation ID (OID)"), max_length=9, blank=True, validators=[oid_validator])
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100)
    address = models.CharField(_("address"), max_length=250, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[phone_validator])
    notes = models.TextField(_("notes"), blank=True)
    # The schools whose address book holds it; a school is in its own (placements.services.add_to_address_book).
    schools = models.ManyToManyField(
        "self",
        verbose_name=_("in the address book of"),
        symmetrical=False,
        blank=True,
        related_name="address_book",
        limit_choices_to={"kind": "sending"},
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        # The table it had as placements.Organisation, before it moved down into the foundation (accounts/0011,
        # placements/0009: the state moved, the table stayed).
        db_table = "placements_organisation"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if self.kind == self.Kind.SENDING:
            # What its office sees is what its own address book holds, the school itself included.
            self.schools.add(self)

    def get_absolute_url(self):
        return reverse("placements:organisation_detail", args=[self.pk])


class User(AbstractUser):
    """A person who signs in. What they may see and do follows from `role` (see accounts.roles)."""

    school_path = "memberships__organisation"  # the way to its school, for accounts.roles.scoped

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("For a mentor: the host company where they work."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[phone_validator])
    # Filled first from the host company's country for a mentor (common.locales); empty leaves the choice to the
    # browser and the language menu. UserLocaleMiddleware activates both on every signed-in request.
    language = models.CharField(_("language"), max_length=10, blank=True, choices=settings.LANGUAGES)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_zone],
        help_text=_("Times are shown in this zone. Leave empty for the school's."),
    )

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


class SecurityEvent(models.Model):
    """A sign-in security event on an account: a lockout, its lifting, a change to two-factor sign-in.
    Rows are added, never changed; they say who and when, never a password, code or address."""

    school_path = "account__memberships__organisation"  # the way to its school, for accounts.roles.scoped

    class Action(models.TextChoices):
        LOCKED_OUT = "locked_out", _("sign-in blocked after repeated failures")
        LOCKOUT_LIFTED = "lockout_lifted", _("sign-in block lifted")
        TWO_FACTOR_ENROLLED = "two_factor_enrolled", _("two-factor sign-in set up")
        TWO_FACTOR_RESET = "two_factor_reset", _("two-factor sign-in reset by a coordinator")
        TWO_FACTOR_TURNED_OFF = "two_factor_turned_off", _("two-factor sign-in turned off")
        BACKUP_CODES_RENEWED = "backup_codes_renewed", _("new backup codes made")
        BACKUP_CODE_USED = "backup_code_used", _("signed in with a backup code")
        PASSWORD_RESET = "password_reset", _("password set through an emailed link")

    account = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="security_events", verbose_name=_("account")
    )
    # As typed at sign-in: a lockout may concern a name that has no account.
    username = models.CharField(_("sign-in name"), max_length=150)
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by"))
    action = models.CharField(_("event"), max_length=30, choices=Action.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action}"

    @classmethod
    def record(cls, action, account=None, username="", actor=None):
        username = username or (account.get_username() if account else "")
        return cls.objects.create(action=action, account=account, username=username, actor=actor)


def hash_backup_code(user_id: int, code: str, secret: str | None = None) -> str:
    """What is stored for a backup code: a keyed hash (HMAC-SHA256 with the secret key) of the account and the
    code, 80 bits in 16 characters. A database dump without the secret key, which lives in the environment and
    never in the database, cannot be turned back into codes; the account in the hash keeps one account's
    codes from matching another's. (With the secret key, an attacker can forge sessions anyway.) The code comes
    as accounts.twofactor.normalise() leaves it."""
    digest = salted_hmac("accounts.backup-code", f"{user_id}:{code}", secret=secret, algorithm="sha256").digest()
    return b32encode(digest[:10]).decode().lower()


class BackupCodes(StaticDevice):
    """django-otp's static device, storing each code only as hash_backup_code(). Each code works once: the
    matching row is deleted when it is used. Codes hashed under a key in SECRET_KEY_FALLBACKS still work
    after the secret key is rotated."""

    class Meta:
        proxy = True
        verbose_name = _("backup codes")
        verbose_name_plural = _("backup codes")

    def add_codes(self, codes):
        self.token_set.model.objects.bulk_create(
            self.token_set.model(device=self, token=hash_backup_code(self.user_id, code)) for code in codes
        )

    def verify_token(self, token):
        allowed, _why = self.verify_is_allowed()
        if not allowed:
            return False
        secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
        hashes = [hash_backup_code(self.user_id, token, secret) for secret in secrets]
        match = self.token_set.filter(token__in=hashes).first()
        if match is None:
            self.throttle_increment()
            return False
        match.delete()
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True


class Membership(models.Model):
    """A user's place in a school (a sending organisation) with a role there. The office (coordinators and
    staff) sees only the projects, learners, money and documents of the schools they are members of; see
    accounts.roles.scoped. A user may belong to several schools (a consortium's coordinator)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("school"),
        limit_choices_to={"kind": "sending"},
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_school")]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class Invitation(models.Model):
    """A mentor's invitation to choose their own password (accounts.invitations). Only a hash of the link's token
    is kept: the token itself goes out once, in the mail, and a copy of the database cannot open an account.
    Sending it again replaces the token, so an older mail stops working; choosing the password uses it up."""

    school_path = "account__memberships__organisation"  # the way to its school, for accounts.roles.scoped

    account = models.OneToOneField(User, on_delete=models.CASCADE, related_name="invitation", verbose_name=_("account"))
    token_hash = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(_("sent"))
    expires_at = models.DateTimeField(_("valid until"))
    sent_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("sent by"))
    accepted_at = models.DateTimeField(_("joined"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return str(self.account)
