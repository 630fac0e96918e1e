from django.urls import path

from . import views

urlpatterns = [
    path("health/", views.health_status, name="health_status"),
    path("metrics", views.prometheus_metrics, name="metrics"),
]
