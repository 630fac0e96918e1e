"""/sitemap.xml: the pages of every project's public site, each under its own address (/p/<site>/...)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from placements.sites import public_sites

from .models import Article, NewsItem, Submission, Topic

PAGES = ["public:home", "public:articles", "public:exchange", "public:submit", "public:news"]


class PagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return [(name, site.public_slug) for site in public_sites() for name in PAGES]

    def location(self, item):
        name, slug = item
        return reverse(name, args=[slug])


class TopicsSitemap(Sitemap):
    def items(self):
        return [(topic, site.public_slug) for site in public_sites() for topic in Topic.values]

    def location(self, item):
        topic, slug = item
        return reverse("public:topic", args=[slug, topic])


class ArticlesSitemap(Sitemap):
    def items(self):
        return Article.objects.published().select_related("project").only("slug", "updated_at", "project__public_slug")

    def lastmod(self, item):
        return item.updated_at


class NewsSitemap(ArticlesSitemap):
    def items(self):
        return NewsItem.objects.published().select_related("project").only("slug", "updated_at", "project__public_slug")


class ExchangeSitemap(Sitemap):
    def items(self):
        return (
            Submission.objects.approved().select_related("project").only("pk", "moderated_at", "project__public_slug")
        )

    def lastmod(self, item):
        return item.moderated_at


SITEMAPS = {
    "pages": PagesSitemap,
    "topics": TopicsSitemap,
    "articles": ArticlesSitemap,
    "news": NewsSitemap,
    "exchange": ExchangeSitemap,
}
