from django.urls import path

from . import views

app_name = "openfigures"

urlpatterns = [
    path("figures/", views.OverviewView.as_view(), name="overview"),
    path("p/<slug:site>/figures/", views.FiguresView.as_view(), name="figures"),
    path("p/<slug:site>/figures/open-data.zip", views.PackageView.as_view(), name="package"),
]
