from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as account_views

from .health import health

urlpatterns = [
    # The trivial liveness check (the bench's floor); /health/ (ops) is the detailed report.
    path("health/live/", health, name="health"),
    path("", include("ops.urls")),
    path("", include("offline.urls")),
    path("", include("signatures.urls")),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("reports.urls")),
    path("", include("documents.urls")),
    path("", include("reports.document_urls")),
    path("accounts/", include("accounts.urls")),
    path("participants/", include("participants.urls")),
    path("", include("placements.urls")),
    path("attendance/", include("attendance.urls")),
    path("assessments/", include("assessments.urls")),
    path("", include("conference.urls")),
    path("privacy/", include("privacy.urls")),
    path("transfers/", include("transfers.urls")),
    path("mail/", include("outbox.urls")),
    path("grants/", include("grants.urls")),
    path("", include("selection.urls")),
    path("preparation/", include("preparation.urls")),
    path("trip/", include("preparation.trip_urls")),
    path("", include("credentials.urls")),
    path("", include("openfigures.urls")),
    path("feedback/", include("feedback.urls")),
    path("graduates/", include("alumni.urls")),
    path("employers/", include("employers.urls")),
    path("reminders/", include("notifications.urls")),
    path("", include("public.urls")),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
]
