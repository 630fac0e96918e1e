from django.urls import path
from django.views.generic import TemplateView

app_name = "public"

_stub = TemplateView.as_view(template_name="public/stub.html")

urlpatterns = [
    path("", _stub, name="home"),
    path("good-practice/", _stub, name="articles"),
    path("exchange/", _stub, name="exchange"),
    path("news/", _stub, name="news"),
    path("news/rss/", _stub, name="news_rss"),
    path("news/atom/", _stub, name="news_atom"),
    path("privacy-notice/", _stub, name="privacy"),
]
