from django.urls import path

from . import views

app_name = "employers"

urlpatterns = [
    path("", views.EmployerListView.as_view(), name="list"),
    path("<int:pk>/", views.PartnerDetailView.as_view(), name="detail"),
    path("<int:pk>/profile/", views.ProfileView.as_view(), name="profile"),
    path("<int:pk>/contacts/new/", views.ContactAddView.as_view(), name="contact_add"),
    path("<int:pk>/offers/new/", views.OfferCreateView.as_view(), name="offer_create"),
    path("<int:pk>/introduce/", views.IntroduceView.as_view(), name="introduce"),
    path("introductions/<int:pk>/outcome/", views.OutcomeView.as_view(), name="outcome"),
    path("agreements/", views.AgreementListView.as_view(), name="agreements"),
    path("agreements/new/", views.AgreementCreateView.as_view(), name="agreement_create"),
    path("agreements/<int:pk>/", views.AgreementEditView.as_view(), name="agreement_edit"),
]
