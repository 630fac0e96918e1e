from django.urls import path

from . import views

app_name = "placements"
urlpatterns = [
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path("projects/new/", views.ProjectCreateView.as_view(), name="project_create"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("projects/<int:pk>/edit/", views.ProjectUpdateView.as_view(), name="project_edit"),
    path("organisations/", views.OrganisationListView.as_view(), name="organisation_list"),
    path("organisations/new/", views.OrganisationCreateView.as_view(), name="organisation_create"),
    path("organisations/<int:pk>/", views.OrganisationDetailView.as_view(), name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.OrganisationUpdateView.as_view(), name="organisation_edit"),
    path("qualifications/", views.QualificationListView.as_view(), name="qualification_list"),
    path("qualifications/new/", views.QualificationCreateView.as_view(), name="qualification_create"),
    path("qualifications/<int:pk>/edit/", views.QualificationUpdateView.as_view(), name="qualification_edit"),
    path("placements/", views.PlacementListView.as_view(), name="list"),
    path("placements/new/", views.PlacementCreateView.as_view(), name="create"),
    path("placements/<int:pk>/", views.PlacementDetailView.as_view(), name="placement_detail"),
    path("placements/<int:pk>/edit/", views.PlacementUpdateView.as_view(), name="edit"),
    path("placements/<int:pk>/assign/", views.AssignParticipantsView.as_view(), name="assign"),
    path("placements/<int:pk>/hosts/", views.HostForLearnersView.as_view(), name="set_hosts"),
    path("assignments/<int:pk>/edit/", views.AssignmentUpdateView.as_view(), name="assignment_edit"),
]
