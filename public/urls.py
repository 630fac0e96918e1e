from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from placements.sites import LegacyRedirectView

from . import views
from .feeds import NewsAtomFeed, NewsFeed
from .sitemaps import SITEMAPS

app_name = "public"

# One project's public site, under /p/<site>/ (Project.public_slug); views.SiteMixin finds the project.
site_patterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("good-practice/", views.ArticleListView.as_view(), name="articles"),
    path("good-practice/topic/<slug:topic>/", views.ArticleListView.as_view(), name="topic"),
    path("good-practice/<slug:slug>/", views.ArticleView.as_view(), name="article"),
    path("good-practice/<slug:slug>/files/<int:pk>/", views.AttachmentView.as_view(), name="attachment"),
    path("exchange/", views.ExchangeView.as_view(), name="exchange"),
    path("exchange/share/", views.SubmitView.as_view(), name="submit"),
    path("exchange/thank-you/", views.SubmitThanksView.as_view(), name="exchange_thanks"),
    path("exchange/<int:pk>/", views.ExchangeItemView.as_view(), name="exchange_item"),
    path("exchange/<int:pk>/file/", views.ExchangeFileView.as_view(), name="exchange_file"),
    path("news/", views.NewsListView.as_view(), name="news"),
    path("news/rss/", NewsFeed(), name="news_rss"),
    path("news/atom/", NewsAtomFeed(), name="news_atom"),
    path("news/<slug:slug>/", views.NewsView.as_view(), name="news_item"),
    path("privacy-notice/", views.PrivacyNoticeView.as_view(), name="privacy"),
]


def legacy(route, name, owner=None):
    """The address a page had when the installation had one site: sent on to the same page of the project it
    belongs to (found from the object in it, else the only site), or to the list of sites."""
    return path(route, LegacyRedirectView.as_view(target=f"public:{name}", owner=owner), name=f"legacy_{name}")


urlpatterns = [
    path("", views.RootView.as_view(), name="root"),
    path("p/<slug:site>/", include(site_patterns)),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    legacy("good-practice/", "articles"),
    legacy("good-practice/topic/<slug:topic>/", "topic"),
    legacy("good-practice/<slug:slug>/", "article", owner=views.article_project),
    legacy("good-practice/<slug:slug>/files/<int:pk>/", "attachment", owner=views.article_project),
    legacy("exchange/", "exchange"),
    legacy("exchange/share/", "submit"),
    legacy("exchange/thank-you/", "exchange_thanks"),
    legacy("exchange/<int:pk>/", "exchange_item", owner=views.submission_project),
    legacy("exchange/<int:pk>/file/", "exchange_file", owner=views.submission_project),
    legacy("news/", "news"),
    legacy("news/rss/", "news_rss"),
    legacy("news/atom/", "news_atom"),
    legacy("news/<slug:slug>/", "news_item", owner=views.news_project),
    legacy("privacy-notice/", "privacy"),
    # The coordinator's pages that write the site.
    path("manage/site/", views.ManageView.as_view(), name="manage"),
    path("manage/site/address/", views.PublicAddressView.as_view(), name="manage_address"),
    path("manage/site/page/<str:language>/", views.ProjectPageEditView.as_view(), name="manage_page"),
    path("manage/site/articles/", views.ArticleManageList.as_view(), name="manage_articles"),
    path("manage/site/articles/new/", views.ArticleCreateView.as_view(), name="manage_article_new"),
    path("manage/site/articles/<int:pk>/", views.ArticleEditView.as_view(), name="manage_article"),
    path("manage/site/articles/<int:pk>/files/", views.AttachmentsView.as_view(), name="manage_attachments"),
    path(
        "manage/site/articles/<int:pk>/files/<int:attachment_pk>/delete/",
        views.AttachmentDeleteView.as_view(),
        name="manage_attachment_delete",
    ),
    path("manage/site/news/", views.NewsManageList.as_view(), name="manage_news"),
    path("manage/site/news/new/", views.NewsCreateView.as_view(), name="manage_news_new"),
    path("manage/site/news/<int:pk>/", views.NewsEditView.as_view(), name="manage_news_item"),
    path("manage/site/submissions/", views.SubmissionManageList.as_view(), name="manage_submissions"),
    path("manage/site/submissions/<int:pk>/", views.SubmissionModerateView.as_view(), name="manage_submission"),
    path("manage/site/submissions/<int:pk>/file/", views.SubmissionFileView.as_view(), name="manage_submission_file"),
    path("manage/site/testimonials/", views.TestimonialManageList.as_view(), name="manage_testimonials"),
    path("manage/site/testimonials/new/", views.TestimonialCreateView.as_view(), name="manage_testimonial_new"),
    path("manage/site/testimonials/<int:pk>/", views.TestimonialEditView.as_view(), name="manage_testimonial"),
]
