from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.views.generic import DetailView

from initiatives.comment_views import thread_of
from initiatives.filters import InitiativeFilter, PublicationFilter
from initiatives.models import Comment, Initiative, Participation, Publication
from portal.mixins import FilteredListView, PublishedMixin, SectionMixin


class InitiativeListView(FilteredListView):
    filterset_class = InitiativeFilter
    template_name = "initiatives/initiative_list.html"
    section = "initiatives"

    def get_queryset(self):
        return Initiative.objects.published().for_list()


class InitiativeDetailView(SectionMixin, PublishedMixin, DetailView):
    model = Initiative
    template_name = "initiatives/initiative_detail.html"
    section = "initiatives"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                "themes",
                "regions",
                Prefetch(
                    "participations",
                    queryset=Participation.objects.select_related("organization__glossary_term"),
                ),
                Prefetch("publications", queryset=Publication.objects.published()),
                "source_paragraphs__document",
            )
        )

    def get_context_data(self, **kwargs):
        terms = {
            p.organization.glossary_term
            for p in self.object.participations.all()
            if p.organization.glossary_term and p.organization.glossary_term.is_published()
        }
        return super().get_context_data(
            glossary_terms=sorted(terms, key=lambda t: t.term), comments=thread_of(self.object), **kwargs
        )


class PublicationListView(FilteredListView):
    filterset_class = PublicationFilter
    template_name = "initiatives/publication_list.html"
    section = "publications"

    def get_queryset(self):
        return Publication.objects.published().prefetch_related("publishers", "themes")


class PublicationDetailView(SectionMixin, PublishedMixin, DetailView):
    model = Publication
    template_name = "initiatives/publication_detail.html"
    section = "publications"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related("publishers", "themes", Prefetch("initiatives", queryset=Initiative.objects.published()))
        )

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.is_council_document:
            if self.is_preview():
                return redirect(f"{self.object.get_absolute_url()}?preview")
            return redirect(self.object.get_absolute_url(), permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object, comments=thread_of(self.object)))


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


class DocumentView(SectionMixin, PublishedMixin, DetailView):
    """The council document, paragraph by paragraph, with anchors that are the same in both languages."""

    model = Publication
    template_name = "initiatives/document.html"
    section = "document"

    def get_queryset(self):
        return super().get_queryset().council_documents()

    def get_template_names(self):
        # A council document whose text has not been imported yet is shown as its publication record.
        if not self.object.paragraphs.exists():
            return [PublicationDetailView.template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        document = self.object
        sections = list(document.sections.all())
        paragraphs = list(
            document.paragraphs.prefetch_related(
                Prefetch("initiatives", queryset=Initiative.objects.published().only("slug", "title")),
                Prefetch("comments", queryset=Comment.objects.approved().for_display(), to_attr="published_comments"),
            )
        )
        footnotes = list(document.footnotes.all())
        return super().get_context_data(
            blocks=document_blocks(sections, paragraphs),
            footnotes=footnotes,
            side_by_side=self.request.GET.get("view") == "both",
            **kwargs,
        )


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
