from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from placements.sites import public_site

from .models import NewsItem


class NewsFeed(Feed):
    """One project's news, on its site (/p/<site>/news/rss/)."""

    description = _("News of the Erasmus+ project")

    def get_object(self, request, site):
        return public_site(request, site)

    def link(self, project):
        return reverse("public:news", args=[project.public_slug])

    def title(self, project):
        return _("News: %(project)s") % {"project": project.title}

    def items(self, project):
        return NewsItem.objects.published().filter(project=project).select_related("project")[:20]

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
