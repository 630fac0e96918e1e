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
]
