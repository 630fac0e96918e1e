from django.urls import include, path

from placements.sites import LegacyRedirectView

from . import views

app_name = "conference"

# The public pages live on their project's site (/p/<site>/conference/, placements.selectors.public_site).
public_patterns = [
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
]


def legacy(route, name, owner):
    """The address of the time of one site, sent on to the same page of the owning project's site."""
    return path(
        f"conference/{route}",
        LegacyRedirectView.as_view(target=f"conference:{name}", owner=owner),
        name=f"legacy_{name}",
    )


urlpatterns = [
    path("p/<slug:site>/conference/", include(public_patterns)),
    legacy("", "event", None),
    legacy("<int:pk>/register/", "register", views.event_project),
    legacy("<int:pk>/register/done/", "register_done", views.event_project),
    legacy("registration/<str:code>/", "registered", views.registration_project),
    legacy("registration/<str:code>/cancel/", "cancel", views.registration_project),
    legacy("registration/<str:code>/certificate/", "my_certificate", views.registration_project),
    # Coordinators and staff
    path("conference/manage/", views.EventListView.as_view(), name="manage"),
    path("conference/manage/new/", views.EventCreateView.as_view(), name="event_create"),
    path("conference/manage/<int:pk>/", views.EventDetailView.as_view(), name="manage_event"),
    path("conference/manage/<int:pk>/edit/", views.EventUpdateView.as_view(), name="event_edit"),
    path("conference/manage/<int:pk>/agenda/", views.AgendaView.as_view(), name="agenda"),
    path("conference/manage/<int:pk>/speakers/", views.SpeakersView.as_view(), name="speakers"),
    path("conference/manage/<int:pk>/registrations/", views.RegistrationListView.as_view(), name="registrations"),
    path("conference/manage/<int:pk>/check-in/", views.CheckInView.as_view(), name="check_in"),
    path(
        "conference/manage/registration/<int:pk>/check-in/", views.CheckInToggleView.as_view(), name="check_in_toggle"
    ),
]
