from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Article, NewsItem, Submission, Topic


class PagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["public:home", "public:articles", "public:exchange", "public:submit", "public:news"]

    def location(self, item):
        return reverse(item)


class TopicsSitemap(Sitemap):
    def items(self):
        return Topic.values

    def location(self, item):
        return reverse("public:topic", args=[item])


class ArticlesSitemap(Sitemap):
    def items(self):
        return Article.objects.published().only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class NewsSitemap(ArticlesSitemap):
    def items(self):
        return NewsItem.objects.published().only("slug", "updated_at")


class ExchangeSitemap(Sitemap):
    def items(self):
        return Submission.objects.approved().only("pk", "moderated_at")

    def lastmod(self, item):
        return item.moderated_at


SITEMAPS = {
    "pages": PagesSitemap,
    "topics": TopicsSitemap,
    "articles": ArticlesSitemap,
    "news": NewsSitemap,
    "exchange": ExchangeSitemap,
}
