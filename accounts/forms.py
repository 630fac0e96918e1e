import logging
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth.forms import BaseUserCreationForm, PasswordResetForm
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import ZoneSelect

from .models import Organisation, Role, User
from .throttling import PASSWORD_RESETS_PER_ACCOUNT, PASSWORD_RESETS_PER_ADDRESS

logger = logging.getLogger(__name__)


class RoleOrganisationMixin:
    def clean(self):
        cleaned = super().clean()
        role, org = cleaned.get("role"), cleaned.get("organisation")
        if role == Role.MENTOR and not org:
            self.add_error("organisation", _("A mentor must belong to a host company."))
        if role == Role.MENTOR and org and org.kind != Organisation.Kind.HOST:
            self.add_error("organisation", _("A mentor's organisation must be a host company."))
        return cleaned


class UserCreateForm(RoleOrganisationMixin, BaseUserCreationForm):
    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "phone", "role", "organisation"]

    def clean_role(self):
        # A mentor chooses their own password through an invitation; nobody types one for them.
        if self.cleaned_data.get("role") == Role.MENTOR:
            raise forms.ValidationError(_("Invite a mentor instead: they choose their own password."))
        return self.cleaned_data.get("role")


class MentorInviteForm(forms.Form):
    """What a coordinator knows of a new mentor; the password is the mentor's own (accounts.invitations)."""

    first_name = forms.CharField(label=_("first name"), max_length=150)
    last_name = forms.CharField(label=_("last name"), max_length=150)
    email = forms.EmailField(label=_("email address"), help_text=_("The invitation goes to this address."))
    organisation = forms.ModelChoiceField(
        label=_("host company"), queryset=Organisation.objects.filter(kind=Organisation.Kind.HOST).order_by("name")
    )
    language = forms.ChoiceField(
        label=_("language"),
        required=False,
        choices=[("", _("The language of the company's country")), *settings.LANGUAGES],
        help_text=_("The invitation and the mentor's pages are in this language; the mentor can change it."),
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this address exists already."))
        return email


class UserUpdateForm(RoleOrganisationMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "role",
            "organisation",
            "language",
            "time_zone",
            "is_active",
        ]
        labels = {"is_active": _("Can sign in")}
        widgets = {"time_zone": ZoneSelect}


class CodeForm(forms.Form):
    """One code: six digits from the authenticator app, or (when `backup` is on) a backup code."""

    code = forms.CharField(label=_("Code"), max_length=32, strip=True)

    def __init__(self, *args, backup=False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.widget.attrs.update({"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"})
        if backup:
            field.label = _("Code from your authenticator app, or a backup code")
            field.help_text = _("Six digits from the app, or one of the eight-character backup codes you were given.")
            field.widget.attrs["autocapitalize"] = "none"
        else:
            field.label = _("Code from your authenticator app")
            field.help_text = _("Six digits. The app shows a new one every 30 seconds.")
            field.widget.attrs.update({"inputmode": "numeric", "pattern": "[0-9 ]*"})


class EnrolForm(CodeForm):
    """The new authenticator's code; when it replaces one, also a code from the one in use (or a backup code)."""

    current_code = forms.CharField(
        label=_("Code from the authenticator you use now, or a backup code"),
        help_text=_("Replacing your authenticator needs a code from the old one, so nobody else can swap in theirs."),
        max_length=32,
        strip=True,
    )

    def __init__(self, *args, replacing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if replacing:
            self.fields["current_code"].widget.attrs.update(
                {"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false", "autofocus": True}
            )
            self.fields["code"].widget.attrs.pop("autofocus", None)
            self.fields["code"].label = _("Code the new authenticator shows now")
            # The current code first, as the page asks for it before the new one.
            self.order_fields(["current_code", "code"])
        else:
            del self.fields["current_code"]


class QuietPasswordResetForm(PasswordResetForm):
    """Django's form, but the email leaves through the outbox and its worker: the answer takes as long for an
    address with an account as for one without (no SMTP round trip in the request), so its timing does not tell
    who has an account. The link is a secret: the outbox erases the text once sent, and sends nothing after the
    link has expired. A few requests an hour per address and per account send an email; past that, nothing is
    sent and the page says the same as ever, so the limit tells nothing either."""

    def get_users(self, email):
        if not PASSWORD_RESETS_PER_ADDRESS.allow(email.strip().casefold()):
            logger.info("Password reset: the hourly limit for one address held an email back")
            return
        for user in super().get_users(email):
            if PASSWORD_RESETS_PER_ACCOUNT.allow(user.pk):
                yield user
            else:
                logger.info("Password reset: the hourly limit for account %s held an email back", user.pk)

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        from common.sections import SEND_MAIL, the_one

        the_one(
            SEND_MAIL,  # the outbox, which the foundation does not import
            to=to_email,
            subject=render_to_string(subject_template_name, context),
            body=render_to_string(email_template_name, context),
            purpose="password_reset",
            about=context["user"],
            sensitive=True,
            expires_at=timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
            # The installation's mail, not a school's: an account may belong to several, and the text is a key.
            school_of_about=False,
        )
