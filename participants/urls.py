from django.urls import path

from . import views

app_name = "participants"
urlpatterns = [
    path("", views.ParticipantListView.as_view(), name="list"),
    path("new/", views.ParticipantCreateView.as_view(), name="create"),
    path("<int:pk>/", views.ParticipantDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ParticipantUpdateView.as_view(), name="edit"),
    path("<int:pk>/archive/", views.ParticipantArchiveView.as_view(), name="archive"),
    path("<int:pk>/restore/", views.ParticipantRestoreView.as_view(), name="restore"),
]
