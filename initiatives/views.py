from collections import namedtuple

from csp.decorators import csp_replace
from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Prefetch
from django.db.models.functions import JSONObject
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.gzip import gzip_page
from django.views.generic import DetailView, ListView

from glossary.models import Term
from initiatives import citations
from initiatives.charts import published_country_table, published_per_country, world_map_svg
from initiatives.comment_views import public_paragraph, thread_of
from initiatives.filters import InitiativeFilter, PublicationFilter
from initiatives.models import (
    Comment,
    Footnote,
    Initiative,
    Paragraph,
    Participation,
    Publication,
    Section,
)
from portal.addresses import addresses
from portal.compiled import Slot, compiled_once
from portal.mixins import FilteredListView, PublishedMixin, SectionMixin
from portal.models import as_one_json, built_once, published_condition, related_values, translated
from portal.page_cache import kept_per_generation


@built_once
def listed_initiatives():
    return Initiative.objects.published()


@built_once
def initiative_cards():
    return Initiative.objects.published().as_cards()


@built_once
def listed_publications():
    return Publication.objects.published()


@built_once
def publication_entries():
    return Publication.objects.published().as_entries()


class InitiativeListView(FilteredListView):
    filterset_class = InitiativeFilter
    template_name = "initiatives/initiative_list.html"
    section = "initiatives"

    def get_queryset(self):
        return listed_initiatives()

    def row_queryset(self):
        return initiative_cards()

    def get_context_data(self, **kwargs):
        return super().get_context_data(country_table=published_country_table(), **kwargs)


@gzip_page
@xframe_options_sameorigin  # the list page embeds it with <object>
@csp_replace({"frame-ancestors": ["'self'"]})
def initiatives_map(request):
    """The world map as its own SVG document: cached by the browser, and small pages stay small."""
    svg = world_map_svg(published_per_country())
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    patch_cache_control(response, public=True, max_age=300)
    return response


OrganizationShown = namedtuple("OrganizationShown", ["code", "name", "acronym", "role"])
PublicationShown = namedtuple("PublicationShown", ["url", "full_title", "year"])
ParagraphShown = namedtuple("ParagraphShown", ["url", "symbol", "number"])
TermShown = namedtuple("TermShown", ["url", "term", "acronym"])


class InitiativeDetailView(SectionMixin, PublishedMixin, DetailView):
    """An initiative with its organizations, its source paragraphs, its published publications and the
    published glossary entries of its organizations: four JSON columns of the initiative's own query,
    in the page's language, instead of a prefetch and a model instance per row."""

    model = Initiative
    template_name = "initiatives/initiative_detail.html"
    section = "initiatives"

    @classmethod
    def shown(cls, queryset):
        initiative = OuterRef("pk")
        participations = Participation.objects.filter(initiative=initiative).order_by("role", "organization__name")
        paragraphs = Paragraph.objects.rewrite(False).filter(initiatives=initiative).order_by("document_id", "number")
        publications = (
            Publication.objects.published()
            .rewrite(False)
            .filter(initiatives=initiative)
            .order_by(F("year").desc(nulls_last=True), translated("title"))
        )
        terms = (
            Term.objects.published()
            .rewrite(False)
            .filter(
                Exists(
                    Participation.objects.filter(
                        initiative=OuterRef(initiative), organization__glossary_term=OuterRef("pk")
                    )
                )
            )
            .order_by(translated("term"))
        )
        return (
            queryset.with_tags("themes")
            .with_tags("regions")
            .annotate(
                organization_values=as_one_json(
                    participations.values(
                        json=JSONObject(
                            code="organization__code",
                            name=translated("organization__name"),
                            acronym=translated("organization__acronym"),
                            role="role",
                        )
                    )
                ),
                paragraph_values=as_one_json(
                    paragraphs.values(
                        json=JSONObject(
                            number="number",
                            slug=translated("document__slug"),
                            symbol="document__symbol",
                            kind="document__kind",
                        )
                    )
                ),
                publication_values=as_one_json(
                    publications.values(
                        json=JSONObject(
                            slug=translated("slug"),
                            title=translated("title"),
                            subtitle=translated("subtitle"),
                            year="year",
                            kind="kind",
                        )
                    )
                ),
                term_values=as_one_json(
                    terms.values(
                        json=JSONObject(slug=translated("slug"), term=translated("term"), acronym=translated("acronym"))
                    )
                ),
            )
        )

    def get_context_data(self, **kwargs):
        initiative = self.object
        comments, comments_page = thread_of(initiative, self.request.GET.get("page"))
        roles = dict(Participation.Role.choices)
        term_address = addresses("glossary:detail", "slug")
        return super().get_context_data(
            organizations=[
                OrganizationShown(row["code"], row["name"], row["acronym"], roles.get(row["role"], row["role"]))
                for row in initiative.organization_values
            ],
            source_paragraphs=[
                ParagraphShown(f"{publication_url(row)}#p{row['number']}", row["symbol"], row["number"])
                for row in initiative.paragraph_values
            ],
            publications=[
                PublicationShown(
                    publication_url(row),
                    f"{row['title']}: {row['subtitle']}" if row["subtitle"] else row["title"],
                    row["year"],
                )
                for row in initiative.publication_values
            ],
            glossary_terms=[
                TermShown(term_address(row["slug"]), row["term"], row["acronym"]) for row in initiative.term_values
            ],
            comments=comments,
            comments_page=comments_page,
            **kwargs,
        )


def publication_url(row):
    """A publication's address from its JSON row (slug and kind), as `Publication.get_absolute_url`."""
    if row["kind"] == Publication.Kind.COUNCIL_DOCUMENT:
        return addresses("initiatives:document", "slug")(row["slug"])
    return addresses("initiatives:publication", "slug")(row["slug"])


class PublicationListView(FilteredListView):
    filterset_class = PublicationFilter
    template_name = "initiatives/publication_list.html"
    section = "publications"

    def get_queryset(self):
        return listed_publications()

    def row_queryset(self):
        return publication_entries()


class PublicationDetailView(SectionMixin, PublishedMixin, DetailView):
    model = Publication
    template_name = "initiatives/publication_detail.html"
    section = "publications"

    @classmethod
    def shown(cls, queryset):
        return queryset.with_tags("themes").prefetch_related(
            "publishers", Prefetch("initiatives", queryset=Initiative.objects.published())
        )

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.is_council_document:
            if self.is_preview():
                return redirect(f"{self.object.get_absolute_url()}?preview")
            return redirect(self.object.get_absolute_url(), permanent=True)
        comments, comments_page = thread_of(self.object, request.GET.get("page"))
        citation = citations.formatted(self.object, request.build_absolute_uri(self.object.get_absolute_url()))
        return self.render_to_response(
            self.get_context_data(object=self.object, comments=comments, comments_page=comments_page, citation=citation)
        )


def publication_download(request, slug):
    publication = Publication.objects.published().filter(slug=slug).first()
    if publication is None or not publication.file:
        raise Http404
    return FileResponse(
        publication.file.open("rb"),
        as_attachment=True,
        filename=publication.download_filename(),
        content_type="application/pdf",
    )


CITATION_FORMATS = {
    "ris": (citations.ris, "application/x-research-info-systems"),
    "bib": (citations.bibtex, "application/x-bibtex"),
}


def publication_citation(request, slug, file_format):
    """The publication's reference as a file a reference manager imports (RIS or BibTeX)."""
    publication = get_object_or_404(Publication.objects.published().prefetch_related("publishers"), slug=slug)
    write, content_type = CITATION_FORMATS[file_format]
    url = request.build_absolute_uri(publication.get_absolute_url())
    response = HttpResponse(write(publication, url, get_language()), content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{publication.download_filename()[:-4]}.{file_format}"'
    return response


class DocumentView(SectionMixin, PublishedMixin, DetailView):
    """The council document, paragraph by paragraph, with anchors that are the same in both languages.

    Its headings, notes and publishers are JSON columns of the document's own query (as an initiative's
    page reads its parts), in the page's language and each language; its paragraphs, the bulk of the
    page's text, are read as rows (`document_paragraphs`): as JSON, PostgreSQL took five times as long
    to write them out."""

    model = Publication
    template_name = "initiatives/document.html"
    section = "document"

    @classmethod
    def shown(cls, queryset):
        document = OuterRef("pk")
        sections = Section.objects.rewrite(False).filter(document=document).order_by("order")
        footnotes = Footnote.objects.rewrite(False).filter(document=document).order_by("number")

        def each_language(field):
            return {f"{field}_{code}": f"{field}_{code}" for code, _name in settings.LANGUAGES}

        return queryset.council_documents().annotate(
            section_values=as_one_json(
                sections.values(
                    json=JSONObject(
                        pk="pk",
                        order="order",
                        parent_id="parent_id",
                        title=translated("title"),
                        **each_language("title"),
                    )
                )
            ),
            footnote_values=as_one_json(
                footnotes.values(json=JSONObject(number="number", text=translated("text"), **each_language("text")))
            ),
            publisher_names=related_values(
                Publication, "publishers", translated("organization__name"), [translated("organization__name")]
            ),
        )

    def get_template_names(self):
        # A council document whose text has not been imported yet is shown as its publication record.
        return [self.template_name] if self.has_text else [PublicationDetailView.template_name]

    def get_context_data(self, **kwargs):
        document = self.object
        sections = [DocumentHeading(**row) for row in document.section_values]
        paragraphs = with_activity(
            document, compiled_once(document_paragraphs(), "document:paragraphs", document=document.pk)
        )
        self.has_text = bool(paragraphs)
        return super().get_context_data(
            blocks=document_blocks(sections, paragraphs),
            footnotes=[DocumentNote(**row) for row in document.footnote_values],
            side_by_side=self.request.GET.get("view") == "both",
            citation=citations.formatted(
                document,
                self.request.build_absolute_uri(document.get_absolute_url()),
                publishers=document.publisher_names,
            ),
            **kwargs,
        )


class ParagraphInitiativesView(SectionMixin, ListView):
    """Every published initiative that comes from one paragraph of a council document, the most recently
    added first: the document's disclosure under the paragraph shows this list's first page."""

    template_name = "initiatives/paragraph_initiatives.html"
    section = "document"
    paginate_by = 20

    def get(self, request, *args, **kwargs):
        self.paragraph = public_paragraph(Paragraph.objects.select_related("document"), kwargs["slug"], kwargs["key"])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        initiative_address = addresses("initiatives:detail", "slug")
        links = (
            SOURCE_LINK.objects.filter(published_condition("initiative__"), paragraph=self.paragraph)
            .order_by("-initiative_id")
            .values_list(translated("initiative__slug"), translated("initiative__title"))
        )
        return LazyLinks(links, initiative_address)

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        # the count that the document shows beside the paragraph, kept per content generation
        paginator.count = paragraph_counts(self.paragraph.document)[1].get(self.paragraph.pk, 0)
        return paginator

    def get_context_data(self, **kwargs):
        return super().get_context_data(paragraph=self.paragraph, document=self.paragraph.document, **kwargs)


class LazyLinks:
    """A paragraph's initiatives as `InitiativeLink`s, read a page at a time (a slice of the query)."""

    def __init__(self, rows, address_of):
        self.rows, self.address_of = rows, address_of

    def __getitem__(self, page):
        return [InitiativeLink(self.address_of(slug), title) for slug, title in self.rows[page]]


def document_blocks(sections, paragraphs):
    """Headings and paragraphs in reading order: each heading before the first paragraph under it."""
    order_of = {section.pk: section.order for section in sections}
    blocks = []
    pending = list(sections)
    for paragraph in paragraphs:
        section_order = order_of.get(paragraph.section_id, -1)
        while pending and pending[0].order <= section_order:
            blocks.append(("heading", pending.pop(0)))
        blocks.append(("paragraph", paragraph))
    blocks.extend(("heading", section) for section in pending)
    return blocks


SOURCE_LINK = Initiative.source_paragraphs.through
InitiativeLink = namedtuple("InitiativeLink", ["url", "title"])


def paragraph_counts(document):
    """({paragraph pk: its published comments}, {paragraph pk: its published initiatives}): kept per
    content generation, like the other counts (approving a comment moves it too), since they read every
    comment and link of the document."""

    def count():
        comments = Comment.objects.approved().filter(paragraph__document=document)
        links = SOURCE_LINK.objects.filter(published_condition("initiative__"), paragraph__document=document)
        return tuple(
            dict(rows.values_list("paragraph_id").annotate(total=Count("*")).order_by()) for rows in (comments, links)
        )

    return kept_per_generation(f"paragraph-counts:{document.pk}", count)


class DocumentHeading(namedtuple("DocumentHeading", ["pk", "order", "parent_id", "title", "title_es", "title_en"])):
    """A heading of the council document as its page shows it: a row of its JSON column, in the page's
    language (`title`) and each language."""

    __slots__ = ()

    @property
    def level(self):
        return Section.level_of(self.parent_id)


class DocumentNote(namedtuple("DocumentNote", ["number", "text", "text_es", "text_en"])):
    """A note of the council document as its page shows it, like `DocumentHeading`."""

    __slots__ = ()

    @property
    def anchor(self):
        return Footnote.anchor_of(self.number)


class DocumentParagraph(
    namedtuple(
        "DocumentParagraph",
        ["pk", "number", "section_id", "text", "text_es", "text_en", "comment_count", "initiative_count"],
    )
):
    """A paragraph as the council document's page shows it (`document_blocks`), with its counts: a row,
    not a model instance, which would also read the paragraph's two search vectors."""

    __slots__ = ()

    @property
    def anchor(self):
        return Paragraph.anchor_of(self.number)


DOCUMENT = Slot("document", models.BigIntegerField())


@built_once
def document_paragraphs():
    """A document's paragraphs (the `Slot` DOCUMENT) in their order, as the rows `with_activity()`
    reads: the text in the page's language, then in each language."""
    paragraphs = Paragraph.objects.filter(document=DOCUMENT).rewrite(False).annotate(shown=translated("text"))
    # by number alone: the model's order starts with the document's, which would join the publication
    return paragraphs.order_by("number").values_list("pk", "number", "section_id", "shown", "text_es", "text_en")


def with_activity(document, rows):
    """The paragraphs' rows as `DocumentParagraph`s, with their comment and initiative counts."""
    comment_counts, initiative_counts = paragraph_counts(document)
    return [DocumentParagraph(*row, comment_counts.get(row[0], 0), initiative_counts.get(row[0], 0)) for row in rows]
