from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import views
from .feeds import NewsAtomFeed, NewsFeed
from .sitemaps import SITEMAPS

app_name = "public"

urlpatterns = [
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
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    # The coordinator's pages that write the site.
    path("manage/site/", views.ManageView.as_view(), name="manage"),
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
