"""The learner's "My trip", opened with a personal link and no account."""

from django.urls import path

from . import views

app_name = "trip"

urlpatterns = [path("<str:token>/", views.my_trip, name="my_trip")]
