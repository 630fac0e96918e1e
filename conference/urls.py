from django.urls import path

from . import views

app_name = "conference"

urlpatterns = [
    # Public
    path("", views.EventView.as_view(), name="event"),
    path("<int:pk>/register/", views.RegisterView.as_view(), name="register"),
    path("<int:pk>/register/done/", views.RegisterDoneView.as_view(), name="register_done"),
    path("registration/<str:code>/", views.RegisteredView.as_view(), name="registered"),
    path("registration/<str:code>/cancel/", views.CancelView.as_view(), name="cancel"),
    path("registration/<str:code>/certificate/", views.MyCertificateView.as_view(), name="my_certificate"),
    path(
        "registration/<str:code>/certificate/download/",
        views.my_certificate_download,
        name="my_certificate_download",
    ),
    # Coordinators and staff
    path("manage/", views.EventListView.as_view(), name="manage"),
    path("manage/new/", views.EventCreateView.as_view(), name="event_create"),
    path("manage/<int:pk>/", views.EventDetailView.as_view(), name="manage_event"),
    path("manage/<int:pk>/edit/", views.EventUpdateView.as_view(), name="event_edit"),
    path("manage/<int:pk>/agenda/", views.AgendaView.as_view(), name="agenda"),
    path("manage/<int:pk>/speakers/", views.SpeakersView.as_view(), name="speakers"),
    path("manage/<int:pk>/registrations/", views.RegistrationListView.as_view(), name="registrations"),
    path("manage/<int:pk>/check-in/", views.CheckInView.as_view(), name="check_in"),
    path("manage/registration/<int:pk>/check-in/", views.CheckInToggleView.as_view(), name="check_in_toggle"),
]
