from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views
from .forms import QuietPasswordResetForm

app_name = "accounts"
urlpatterns = [
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/new/", views.UserCreateView.as_view(), name="user_create"),
    path("users/<int:pk>/edit/", views.UserUpdateView.as_view(), name="user_edit"),
    path("users/invite/", views.MentorInviteView.as_view(), name="mentor_invite"),
    path("users/<int:pk>/invitation/", views.InvitationResendView.as_view(), name="invitation_resend"),
    path("join/<str:token>/", views.JoinView.as_view(), name="join"),
    path("users/<int:pk>/two-factor/reset/", views.UserTwoFactorResetView.as_view(), name="user_two_factor_reset"),
    path("sign-in-blocks/", views.LockoutListView.as_view(), name="lockouts"),
    path("sign-in-blocks/<int:pk>/lift/", views.LockoutLiftView.as_view(), name="lockout_lift"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("accounts:password_change_done")),
        name="password_change",
    ),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            form_class=QuietPasswordResetForm,
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("two-factor/", views.TwoFactorView.as_view(), name="two_factor"),
    path("two-factor/set-up/", views.TwoFactorEnrolView.as_view(), name="two_factor_enrol"),
    path("two-factor/code/", views.TwoFactorVerifyView.as_view(), name="two_factor_verify"),
    path("two-factor/backup-codes/", views.BackupCodesView.as_view(), name="two_factor_backup_codes"),
    path("two-factor/turn-off/", views.TwoFactorTurnOffView.as_view(), name="two_factor_turn_off"),
]
