from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("assignments/<int:pk>/", views.AssignmentAssessmentView.as_view(), name="assignment"),
    path("assignments/<int:pk>/<slug:kind>/", views.RoundView.as_view(), name="round"),
    path("assignments/<int:pk>/<slug:kind>/reopen/", views.RoundReopenView.as_view(), name="round_reopen"),
    path("placements/<int:pk>/", views.PlacementAssessmentView.as_view(), name="placement"),
    path("frameworks/", views.FrameworkListView.as_view(), name="framework_list"),
    path("frameworks/<int:pk>/", views.FrameworkView.as_view(), name="framework"),
    path("frameworks/<int:pk>/units/new/", views.UnitCreateView.as_view(), name="unit_create"),
    path("units/<int:pk>/edit/", views.UnitUpdateView.as_view(), name="unit_edit"),
    path("units/<int:pk>/move/", views.UnitMoveView.as_view(), name="unit_move"),
    path("units/<int:pk>/outcomes/new/", views.OutcomeCreateView.as_view(), name="outcome_create"),
    path("outcomes/<int:pk>/edit/", views.OutcomeUpdateView.as_view(), name="outcome_edit"),
    path("outcomes/<int:pk>/move/", views.OutcomeMoveView.as_view(), name="outcome_move"),
    path("scale/", views.ScaleView.as_view(), name="scale"),
]
