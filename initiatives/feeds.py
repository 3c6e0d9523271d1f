"""Atom feeds of what is new, one per language (the URL's language prefix chooses it)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative, Publication

FEED_LENGTH = 30


class NewestFeed(Feed):
    """The newest published items first; a draft, or an item whose publication lies ahead, never shows."""

    feed_type = Atom1Feed
    model = None
    list_url_name = None

    def link(self):
        return reverse(self.list_url_name)

    def items(self):
        return self.model.objects.published().order_by("-publish_at", "-created_at")[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_pubdate(self, item):
        return item.publish_at or item.created_at

    def item_updateddate(self, item):
        return item.updated_at


class PublicationFeed(NewestFeed):
    model = Publication
    list_url_name = "initiatives:publication_list"
    title = _("New publications · Migration and Development Portal")
    subtitle = _("Publications of IOM on migration and development, newest first.")

    def item_description(self, item):
        return strip_tags(item.description or "")


class InitiativeFeed(NewestFeed):
    model = Initiative
    list_url_name = "initiatives:list"
    title = _("New initiatives · Migration and Development Portal")
    subtitle = _("Initiatives of IOM on migration and development, newest first.")

    def item_description(self, item):
        return strip_tags(item.summary or "")
