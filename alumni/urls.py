from django.urls import path

from . import views

app_name = "alumni"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("assignment/<int:pk>/recognition/", views.RecognitionView.as_view(), name="recognition"),
    path("assignment/<int:pk>/follow-up/", views.FollowUpView.as_view(), name="follow_up"),
    path("links/", views.MakeLinksView.as_view(), name="make_links"),
    path("link/<int:pk>/new/", views.NewFollowUpLinkView.as_view(), name="new_follow_up_link"),
    # The graduate's own answer, by personal link
    path("f/<str:token>/", views.AnswerView.as_view(), name="answer"),
]
