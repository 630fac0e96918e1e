from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    # By personal link, no sign-in
    path("q/<str:token>/", views.StartView.as_view(), name="start"),
    path("q/<str:token>/<int:step>/", views.QuestionView.as_view(), name="question"),
    path("q/<str:token>/send/", views.SendView.as_view(), name="send"),
    # The office
    path("", views.OverviewView.as_view(), name="overview"),
    path("placement/<int:pk>/", views.ResultsView.as_view(), name="results"),
    path("placement/<int:pk>/send/", views.SendInvitationsView.as_view(), name="send_invitations"),
    path("placement/<int:pk>/links/", views.LinksView.as_view(), name="links"),
    path("answer/<int:pk>/moderate/", views.ModerateView.as_view(), name="moderate"),
]
