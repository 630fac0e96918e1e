from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import NewsItem, public_project


class NewsFeed(Feed):
    link = reverse_lazy("public:news")
    description = _("News of the Erasmus+ project")

    def title(self):
        project = public_project()
        return _("News: %(project)s") % {"project": project.title} if project else _("News")

    def items(self):
        return NewsItem.objects.published()[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


class NewsAtomFeed(NewsFeed):
    feed_type = Atom1Feed
    subtitle = NewsFeed.description
