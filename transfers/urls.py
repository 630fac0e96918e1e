from django.urls import path

from . import views

app_name = "transfers"

urlpatterns = [
    path("", views.TransfersHomeView.as_view(), name="home"),
    path("<slug:kind>/import/", views.ImportView.as_view(), name="import"),
    path("<slug:kind>/template.<slug:file_format>", views.DownloadView.as_view(template=True), name="template"),
    path("<slug:kind>/export.<slug:file_format>", views.DownloadView.as_view(), name="export"),
    path("imports/<uuid:pk>/", views.BatchView.as_view(), name="batch"),
    path("imports/<uuid:pk>/discard/", views.DiscardView.as_view(), name="discard"),
]
