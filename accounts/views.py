from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View, i18n
from django.views.generic import CreateView, FormView, ListView, TemplateView, UpdateView
from django_otp.plugins.otp_totp.models import TOTPDevice

from common.views import return_to

from . import invitations, services, throttling, twofactor
from .forms import CodeForm, EnrolForm, MentorInviteForm, UserCreateForm, UserUpdateForm
from .models import Role, SecurityEvent, User
from .roles import READERS, WRITERS, RoleRequiredMixin, accounts_to_change, in_schools


class UserListView(RoleRequiredMixin, ListView):
    template_name = "accounts/user_list.html"
    context_object_name = "users"
    queryset = (
        User.objects.select_related("organisation", "invitation")
        .annotate(two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
        .order_by("role", "last_name", "username")
    )


class UserFormMixin(RoleRequiredMixin):
    model = User
    template_name = "accounts/user_form.html"
    success_url = reverse_lazy("accounts:user_list")
    joins_schools = True  # a new account joins its creator's schools; a changed one keeps its own

    def form_valid(self, form):
        response = super().form_valid(form)
        services.share_schools(account=self.object, by=self.request.user, join=self.joins_schools)
        messages.success(self.request, _("The account of %(user)s was saved.") % {"user": self.object})
        return response


class UserCreateView(UserFormMixin, CreateView):
    form_class = UserCreateForm


class MentorInviteView(RoleRequiredMixin, FormView):
    """A new mentor by invitation: name, address, host company; they choose their password from the mail."""

    template_name = "accounts/mentor_invite.html"
    form_class = MentorInviteForm

    def form_valid(self, form):
        data = form.cleaned_data
        mentor = invitations.invite_mentor(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            organisation=data["organisation"],
            language=data["language"],
            by=self.request.user,
        )
        messages.success(
            self.request, _("%(user)s was invited by email to %(email)s.") % {"user": mentor, "email": mentor.email}
        )
        return redirect("accounts:user_list")


class InvitationResendView(RoleRequiredMixin, View):
    """A new link for a mentor who has not joined yet; the older one stops working."""

    http_method_names = ["post"]

    def post(self, request, pk):
        waiting = User.objects.filter(invitation__accepted_at__isnull=True).exclude(email="")
        mentor = get_object_or_404(accounts_to_change(waiting, request.user), pk=pk)
        invitations.send_invitation(mentor, by=request.user)
        messages.success(request, _("The invitation was sent again to %(email)s.") % {"email": mentor.email})
        return redirect("accounts:user_list")


class JoinView(View):
    """The invitation's link: the mentor chooses their password, in their language, and lands on Today. The page
    for a link that does not work says so without telling whose it was."""

    def dispatch(self, request, token):
        invitation = invitations.invitation_for(token)
        if invitation is None:
            return render(request, "accounts/join_invalid.html", status=404)
        mentor = invitation.account
        with translation.override(mentor.language or translation.get_language()):
            form = SetPasswordForm(mentor, request.POST if request.method == "POST" else None)
            if request.method == "POST" and form.is_valid():
                mentor = invitations.accept(invitation, form.cleaned_data["new_password1"])
                login(request, mentor, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Welcome! Your password is set."))
                return redirect("attendance:today")
            status = 400 if request.method == "POST" else 200
            return render(request, "accounts/join.html", {"form": form, "mentor": mentor}, status=status)


class UserUpdateView(UserFormMixin, UpdateView):
    form_class = UserUpdateForm
    context_object_name = "account"
    joins_schools = False

    def get_queryset(self):
        return accounts_to_change(super().get_queryset(), self.request.user)

    def get_context_data(self, **kwargs):
        account = self.object
        return super().get_context_data(
            two_factor=twofactor.authenticator_of(account),
            must_use_two_factor=twofactor.must_use_two_factor(account),
            security_events=account.security_events.select_related("actor")[:10],
            **kwargs,
        )


# Sign-in throttling


def locked_out(request, response=None, credentials=None):
    """django-axes' answer to a sign-in while the name and address are blocked (AXES_LOCKOUT_CALLABLE)."""
    minutes = max(1, int(throttling.cool_off().total_seconds() // 60))
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


def without_other_schools(user, blocks):
    """The blocks that do not name an account of another school (two queries, however many blocks)."""
    names = {block.username for block in blocks}
    accounts = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    mine = set(in_schools(User.objects.filter(username__in=accounts), user).values_list("username", flat=True))
    return [block for block in blocks if block.username not in accounts or block.username in mine]


def other_schools_name(user, block, *, write=False):
    """A block on the name of an account of a school `user` is not a member of (a name with no account is
    everyone's to see: it names nobody). `write`: not a writer of (lifting it: roles per school)."""
    accounts = User.objects.filter(username=block.username)
    return accounts.exists() and not in_schools(accounts, user, write=write).exists()


class LockoutListView(RoleRequiredMixin, TemplateView):
    template_name = "accounts/lockouts.html"
    allowed_roles = WRITERS

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            blocks=without_other_schools(self.request.user, throttling.active_blocks()),
            limit=settings.AXES_FAILURE_LIMIT,
            events=SecurityEvent.objects.select_related("account", "actor").filter(
                Q(account__isnull=True) | Q(account__in=in_schools(User.objects.all(), self.request.user))
            )[:30],
            **kwargs,
        )


class LockoutLiftView(RoleRequiredMixin, View):
    allowed_roles = WRITERS

    def post(self, request, pk):
        block = throttling.get_block_for(pk)
        if block is not None and other_schools_name(request.user, block, write=True):
            raise Http404
        if block is None:
            messages.info(request, _("That block had already ended."))
        else:
            account = User.objects.filter(username=block.username).first()
            block.delete()
            SecurityEvent.record(
                SecurityEvent.Action.LOCKOUT_LIFTED, account=account, username=block.username, actor=request.user
            )
            messages.success(request, _("%(name)s can sign in again.") % {"name": block.username})
        return redirect("accounts:lockouts")


# Two-factor sign-in


def next_url(request, default="dashboard"):
    return return_to(request) or reverse(default)


def show_backup_codes(request, codes):
    response = render(request, "accounts/two_factor_codes.html", {"codes": codes, "next": next_url(request)})
    response["Cache-Control"] = "no-store"
    return response


class TwoFactorView(RoleRequiredMixin, TemplateView):
    """The signed-in user's own two-factor sign-in: whether it is on, backup codes left, set up or replace."""

    template_name = "accounts/two_factor.html"
    allowed_roles = READERS

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            device=twofactor.authenticator_of(user),
            codes_left=twofactor.backup_codes_left(user),
            required=twofactor.must_use_two_factor(user),
            **kwargs,
        )


def refuse_without_current_code(request, action):
    """New backup codes or turning two-factor off need a code of the authenticator in use (or a backup code), as
    replacing it does: a session left open is not enough. The two-factor page again, with the error; else None."""
    if twofactor.proves_current_device(request.user, request.POST.get("current_code", "")):
        return None
    user = request.user
    context = {
        "device": twofactor.authenticator_of(user),
        "codes_left": twofactor.backup_codes_left(user),
        "required": twofactor.must_use_two_factor(user),
        "code_error": action,
        "code_error_message": _(
            "Type a code your authenticator shows now, or a backup code. After a wrong code, wait a few seconds."
        ),
    }
    return render(request, "accounts/two_factor.html", context)


class TwoFactorEnrolView(RoleRequiredMixin, View):
    """A new secret (kept in the session until proven), shown as a QR code and as text; one code from the app
    proves it was added, replaces any earlier authenticator and makes the backup codes."""

    allowed_roles = READERS
    template_name = "accounts/two_factor_enrol.html"

    def key(self):
        session = self.request.session
        if twofactor.ENROL_SESSION_KEY not in session:
            session[twofactor.ENROL_SESSION_KEY] = twofactor.new_key()
        return session[twofactor.ENROL_SESSION_KEY]

    def page(self, form, status=200):
        key = self.key()
        user = self.request.user
        context = {
            "form": form,
            "secret": twofactor.key_for_humans(key),
            "qr_code": twofactor.qr_code_svg(twofactor.setup_uri(user, key)),
            "issuer": settings.OTP_TOTP_ISSUER,
            "replacing": twofactor.is_enrolled(user),
            "required": twofactor.must_use_two_factor(user),
            "next": next_url(self.request),
        }
        response = render(self.request, self.template_name, context, status=status)
        response["Cache-Control"] = "no-store"
        return response

    def get(self, request):
        return self.page(EnrolForm(replacing=twofactor.is_enrolled(request.user)))

    def post(self, request):
        form = EnrolForm(request.POST, replacing=twofactor.is_enrolled(request.user))
        if form.is_valid() and "current_code" in form.fields:
            if not twofactor.proves_current_device(request.user, form.cleaned_data["current_code"]):
                form.add_error(
                    "current_code",
                    _(
                        "This is not a code of the authenticator you use now, nor a backup code, or it was used "
                        "already. After a wrong code, wait a few seconds before the next try."
                    ),
                )
        if form.is_valid():
            key = self.key()
            step = twofactor.matching_step(key, form.cleaned_data["code"])
            if step is not None:
                return show_backup_codes(request, twofactor.enrol(request, key, step))
            form.add_error(
                "code",
                _(
                    "This code does not match. Check that the app shows the account just added, and that the time on "
                    "your phone is right."
                ),
            )
        return self.page(form)


class TwoFactorVerifyView(RoleRequiredMixin, View):
    """The second step of signing in, for an account with an authenticator."""

    allowed_roles = READERS
    template_name = "accounts/two_factor_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and twofactor.pending_step(request) != twofactor.VERIFY:
            return HttpResponseRedirect(next_url(request))
        return super().dispatch(request, *args, **kwargs)

    def page(self, form):
        return render(self.request, self.template_name, {"form": form, "next": next_url(self.request)})

    def get(self, request):
        return self.page(CodeForm(backup=True))

    def post(self, request):
        form = CodeForm(request.POST, backup=True)
        if form.is_valid():
            result = twofactor.verify(request, form.cleaned_data["code"])
            if result.device is not None:
                if result.backup_code:
                    messages.warning(
                        request,
                        _("You signed in with a backup code; %(left)s are left. Each works only once.")
                        % {"left": twofactor.backup_codes_left(request.user)},
                    )
                return HttpResponseRedirect(next_url(request))
            if result.wait_until:
                seconds = max(1, int((result.wait_until - timezone.now()).total_seconds()) + 1)
                form.add_error(
                    "code", _("Too many wrong codes. Wait %(seconds)s seconds and try again.") % {"seconds": seconds}
                )
            else:
                form.add_error(
                    "code",
                    _(
                        "This code is not right, or it was used already. Type the code the app "
                        "shows now, or a backup code."
                    ),
                )
        return self.page(form)


class BackupCodesView(RoleRequiredMixin, View):
    allowed_roles = READERS

    def post(self, request):
        if not (twofactor.is_enrolled(request.user) and request.user.is_verified()):
            messages.error(request, _("Set up two-factor sign-in first; the backup codes come with it."))
            return redirect("accounts:two_factor")
        refused = refuse_without_current_code(request, "backup_codes")
        if refused is not None:
            return refused
        return show_backup_codes(request, twofactor.renew_backup_codes(request.user))


class TwoFactorTurnOffView(RoleRequiredMixin, View):
    """Mentors and staff who chose two-factor sign-in may turn it off; coordinators must keep it."""

    allowed_roles = (Role.STAFF, Role.MENTOR)

    def post(self, request):
        if twofactor.is_enrolled(request.user):
            refused = refuse_without_current_code(request, "turn_off")
            if refused is not None:
                return refused
            twofactor.remove_two_factor(request.user, actor=request.user)
            request.session.pop(twofactor.REQUIRED_SESSION_KEY, None)
            messages.success(request, _("Two-factor sign-in is off. Signing in now needs only your password."))
        return redirect("accounts:two_factor")


class UserTwoFactorResetView(RoleRequiredMixin, View):
    """A coordinator removes another account's authenticator and backup codes (a lost phone). The account sets
    it up again at its next sign-in (coordinators must, others may)."""

    allowed_roles = WRITERS

    def post(self, request, pk):
        account = get_object_or_404(accounts_to_change(User.objects.all(), request.user), pk=pk)
        if account == request.user:
            messages.error(request, _("To replace your own authenticator, use your two-factor sign-in page."))
        else:
            twofactor.remove_two_factor(account, actor=request.user)
            messages.success(
                request,
                _("Two-factor sign-in of %(user)s was reset. It is set up again at the next sign-in.")
                % {"user": account},
            )
        return redirect("accounts:user_edit", pk=account.pk)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        SecurityEvent.record(SecurityEvent.Action.PASSWORD_RESET, account=form.user, actor=form.user)
        return response


def set_language(request):
    """Django's language menu; for a signed-in person the choice is also their own setting (User.language), so
    that it follows them to another browser and to the mail they receive."""
    response = i18n.set_language(request)
    language = request.POST.get("language")
    user = request.user
    if request.method == "POST" and user.is_authenticated and language in dict(settings.LANGUAGES):
        if user.language != language:
            user.language = language
            user.save(update_fields=["language"])
    return response
