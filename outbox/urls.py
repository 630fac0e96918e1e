from django.urls import path

from . import views

app_name = "outbox"

urlpatterns = [
    path("", views.MessageListView.as_view(), name="list"),
    path("<int:pk>/send-again/", views.SendAgainView.as_view(), name="send_again"),
]
