from django.urls import path

from . import views

app_name = "signatures"
urlpatterns = [
    path("signatures/weeks/<int:pk>/<str:day>/", views.SignWeekView.as_view(), name="sign_week"),
    path("signatures/agreements/<int:pk>/", views.SignAgreementView.as_view(), name="sign_agreement"),
    path("signatures/receipts/<int:pk>/", views.SignReceiptView.as_view(), name="sign_receipt"),
    path("signatures/codes/<int:pk>/reset/", views.ResetCodeView.as_view(), name="reset_code"),
    path("verify/signature/", views.verify, name="verify"),
]
