from django.urls import path

from . import document_views

app_name = "reports"
urlpatterns = [
    path(
        "documents/certificate/<int:pk>/", document_views.RequestCertificateView.as_view(), name="request_certificate"
    ),
    path(
        "documents/placement/<int:pk>/certificates/",
        document_views.RequestPlacementCertificatesView.as_view(),
        name="request_placement_certificates",
    ),
    path("certificates/<int:pk>/revoke/", document_views.RevokeCertificateView.as_view(), name="revoke"),
    path("verify/<str:code>/", document_views.verify, name="verify"),
]
