from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("documents/", views.MyDocumentsView.as_view(), name="documents"),
    path("documents/<int:pk>/", views.JobView.as_view(), name="job"),
    path("documents/<int:pk>/retry/", views.RetryJobView.as_view(), name="retry"),
    path("documents/<int:pk>/download/", views.DownloadView.as_view(), name="download"),
    path("documents/request/<slug:kind>/<int:pk>/", views.RequestDocumentView.as_view(), name="request"),
]
