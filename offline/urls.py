from django.urls import path

from . import views

app_name = "offline"
urlpatterns = [
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("offline/save-day/", views.SaveDayView.as_view(), name="save_day"),
]
