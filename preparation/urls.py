from django.urls import path

from . import views

app_name = "preparation"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("flow/<int:pk>/", views.FlowView.as_view(), name="flow"),
    path("flow/<int:pk>/plan/", views.PlanView.as_view(), name="plan"),
    path("flow/<int:pk>/insurance/", views.InsuranceView.as_view(), name="insurance"),
    path("flow/<int:pk>/sessions/new/", views.SessionCreateView.as_view(), name="session_create"),
    path("session/<int:pk>/", views.SessionView.as_view(), name="session"),
    path("session/<int:pk>/edit/", views.SessionEditView.as_view(), name="session_edit"),
    path("learner/<int:pk>/", views.LearnerView.as_view(), name="learner"),
    path("learner/<int:pk>/consent/", views.ConsentUploadView.as_view(), name="consent_upload"),
    path("learner/<int:pk>/support-plan/", views.SupportPlanView.as_view(), name="support_plan"),
    path("learner/<int:pk>/notes/", views.SharedNotesView.as_view(), name="shared_notes"),
    path("flow/<int:pk>/travel/", views.TravelView.as_view(), name="travel"),
    path("flow/<int:pk>/travel/legs/", views.LegsView.as_view(), name="legs"),
    path("flow/<int:pk>/travel/accommodation/", views.AccommodationView.as_view(), name="accommodation"),
    path("accommodation/<int:pk>/rooms/", views.RoomsView.as_view(), name="rooms"),
    path("flow/<int:pk>/my-trip-links/", views.LinksView.as_view(), name="links"),
    path("flow/<int:pk>/my-trip-links/sheet/", views.LinksForFlowView.as_view(), name="links_sheet"),
    path("learner/<int:pk>/my-trip-link/", views.LinkCreateView.as_view(), name="link_create"),
    path("my-trip-link/<int:pk>/revoke/", views.LinkRevokeView.as_view(), name="link_revoke"),
    path("flow/<int:pk>/emergency-sheet/", views.EmergencySheetView.as_view(), name="emergency"),
    path("flow/<int:pk>/incidents/", views.IncidentListView.as_view(), name="incidents"),
    path("flow/<int:pk>/incidents/new/", views.IncidentCreateView.as_view(), name="incident_create"),
    path("incident/<int:pk>/", views.IncidentView.as_view(), name="incident"),
    path("incident/<int:pk>/withdraw/", views.IncidentWithdrawView.as_view(), name="incident_withdraw"),
]
