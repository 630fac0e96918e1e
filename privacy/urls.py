from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("due/", views.DueView.as_view(), name="due"),
    path("learner/<int:pk>/anonymise/", views.AnonymiseView.as_view(), name="anonymise"),
    path(
        "learner/<int:pk>/consent/<slug:kind>/withdraw/", views.WithdrawConsentView.as_view(), name="withdraw_consent"
    ),
    path("learner/<int:pk>/files/new/", views.FileAddView.as_view(), name="file_add"),
    path("files/<int:pk>/", views.FileView.as_view(), name="file"),
    path("files/<int:pk>/delete/", views.FileDeleteView.as_view(), name="file_delete"),
]
