from django.urls import path

from . import host_views, views

app_name = "signatures"
urlpatterns = [
    path("signatures/weeks/<int:pk>/<str:day>/", views.SignWeekView.as_view(), name="sign_week"),
    path("signatures/agreements/<int:pk>/", views.SignAgreementView.as_view(), name="sign_agreement"),
    path("signatures/receipts/<int:pk>/", views.SignReceiptView.as_view(), name="sign_receipt"),
    path("signatures/agreements/<int:pk>/host-link/", host_views.SendHostLinkView.as_view(), name="send_host_link"),
    path("sign/agreement/<str:token>/", host_views.HostSignView.as_view(), name="host_sign"),
    path("signatures/sheets/<int:pk>/<str:day>/paper/", views.UploadPaperSheetView.as_view(), name="upload_paper"),
    path("signatures/sheets/paper/<int:pk>/", views.PaperSheetView.as_view(), name="paper_sheet"),
    path("signatures/codes/<int:pk>/reset/", views.ResetCodeView.as_view(), name="reset_code"),
    path("verify/signature/", views.verify, name="verify"),
]
