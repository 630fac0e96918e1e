from django.urls import path

from . import document_views

app_name = "reports"
urlpatterns = [
    path("documents/", document_views.MyDocumentsView.as_view(), name="documents"),
    path("documents/<int:pk>/", document_views.JobView.as_view(), name="job"),
    path("documents/<int:pk>/retry/", document_views.RetryJobView.as_view(), name="retry"),
    path("documents/<int:pk>/download/", document_views.DownloadView.as_view(), name="download"),
    path(
        "documents/certificate/<int:pk>/", document_views.RequestCertificateView.as_view(), name="request_certificate"
    ),
    path(
        "documents/placement/<int:pk>/certificates/",
        document_views.RequestPlacementCertificatesView.as_view(),
        name="request_placement_certificates",
    ),
    path("documents/request/<slug:kind>/<int:pk>/", document_views.RequestDocumentView.as_view(), name="request"),
    path("certificates/<int:pk>/revoke/", document_views.RevokeCertificateView.as_view(), name="revoke"),
    path("verify/<str:code>/", document_views.verify, name="verify"),
]
