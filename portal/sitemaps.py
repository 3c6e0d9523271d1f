"""/sitemap.xml: every public page, in both languages, each with its `hreflang` alternates."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Q
from django.urls import reverse

from glossary.models import Term
from initiatives.models import Comment, Initiative, Publication


class BilingualSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = False  # the bare addresses only redirect to a language


class SectionSitemap(BilingualSitemap):
    changefreq = "weekly"

    def items(self):
        return ["home", "initiatives:list", "initiatives:publication_list", "glossary:index"]

    def location(self, item):
        return reverse(item)


class PublishedSitemap(BilingualSitemap):
    model = None

    def items(self):
        return self.model.objects.published().order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class InitiativeSitemap(PublishedSitemap):
    model = Initiative


class PublicationSitemap(PublishedSitemap):
    model = Publication


class TermSitemap(PublishedSitemap):
    model = Term


class CommentSitemap(BilingualSitemap):
    def items(self):
        published_documents = Publication.objects.published()
        return (
            Comment.objects.approved()
            .filter(
                Q(paragraph__document__in=published_documents)
                | Q(initiative__in=Initiative.objects.published())
                | Q(publication__in=published_documents)
            )
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {
    "sections": SectionSitemap,
    "initiatives": InitiativeSitemap,
    "publications": PublicationSitemap,
    "glossary": TermSitemap,
    "comments": CommentSitemap,
}
