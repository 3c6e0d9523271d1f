from array import array

from django.db import models
from django.http import Http404
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_filters.views import FilterView

from portal.addresses import query_without_page
from portal.compiled import Slot, compiled_once
from portal.facets import Selection, selected
from portal.models import built_once
from portal.page_cache import kept_per_generation
from portal.pagination import KeysFirstPaginator


class SectionMixin:
    """Marks the main navigation entry of the page (aria-current)."""

    section = None

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


class PublishedMixin:
    """Published, or preview for staff.

    The public sees only what is published (unknown and unpublished slugs are 404s). Staff who may view the
    model in the admin add ``?preview`` to see a draft on its real page, in either language: marked as a
    preview, never cached and never indexed. The parameter does nothing for anyone else.
    """

    def is_preview(self):
        if "preview" not in self.request.GET or not self.request.user.is_staff:
            return False
        opts = self.model._meta
        return self.request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}")

    def get_queryset(self):
        if self.is_preview():
            return self.shown(super().get_queryset())
        return published_rows(type(self))

    def get_object(self, queryset=None):
        """The public's item by its slug, read with SQL compiled once per page kind and language: what the
        page reads of it is `shown()`'s (a view that changes `get_queryset()` reads it as usual)."""
        if queryset is not None or self.is_preview() or type(self).get_queryset is not PublishedMixin.get_queryset:
            return super().get_object(queryset)
        view = type(self)
        rows = compiled_once(published_by_slug(view), f"page:{view.__qualname__}", slug=self.kwargs["slug"])
        if not rows:
            message = _("No %(verbose_name)s found matching the query")
            raise Http404(message % {"verbose_name": self.model._meta.verbose_name})
        return rows[0]

    @classmethod
    def shown(cls, queryset):
        """What the page reads of its item (annotations), from the published items or, for a preview,
        from all of them."""
        return queryset

    def get_context_data(self, **kwargs):
        if not self.is_preview():
            return super().get_context_data(preview=False, **kwargs)
        opts = self.model._meta
        admin_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[self.object.pk])
        return super().get_context_data(preview=True, preview_admin_url=admin_url, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context.get("preview"):
            patch_cache_control(response, private=True, no_store=True)
            response["X-Robots-Tag"] = "noindex"
        return response


class FilteredListView(SectionMixin, FilterView):
    """A list with filters in the URL; filters it cannot understand give a 400 page that says so.

    The list's keys in order are kept per content generation and language, and each filter's values
    as bitmaps of positions in that order (`portal.facets`): a page, filtered or not, reads its rows by
    key, in one query. The filter set names how each filter selects (its `facets`)."""

    paginate_by = 20
    paginator_class = KeysFirstPaginator

    def get(self, request, *args, **kwargs):
        self.filterset = self.get_filterset(self.get_filterset_class())
        self.filterset.offer_menus()
        valid = not self.filterset.is_bound or self.filterset.is_valid()
        self.object_list = self.get_queryset()  # unfiltered: the paginator's order has chosen the keys
        context = self.get_context_data(filter=self.filterset, object_list=self.object_list)
        return self.render_to_response(context, status=200 if valid else 400)

    def get_context_data(self, **kwargs):
        return super().get_context_data(query_without_page=query_without_page(self.request.GET), **kwargs)

    def get_paginator(self, queryset, per_page, **kwargs):
        # a page's rows are read by key from the unfiltered list, with SQL compiled once
        rows = (self.row_queryset(), f"list:{type(self).__qualname__}:rows")
        # the whole list's keys in order move only with the content: read once per content generation and
        # language (ties in the order break on the title in the page's language)
        name, language = type(self).__name__, get_language()
        order = kept_per_generation(
            f"list-order:{name}:{language}", lambda: array("q", queryset.values_list("pk", flat=True))
        )
        if self.filterset.is_bound and not self.filterset.is_valid():
            order = ()
        elif chosen := self.chosen_filters():
            order = Selection(order, selected(self.filterset.facets, chosen, order, name, language))
        return super().get_paginator(queryset, per_page, rows=rows, order=order, **kwargs)

    def row_queryset(self):
        """What the page shows of each item, read by key: the list's own queryset unless the view says."""
        return self.get_queryset()

    def chosen_filters(self):
        """The valid filters' chosen values, by filter name (the page number aside)."""
        if not self.filterset.is_bound:
            return {}
        return {name: value for name, value in self.filterset.form.cleaned_data.items() if value not in (None, "")}


@built_once
def published_rows(view_class):
    """A detail page's published items, with what it reads of them."""
    return view_class.shown(view_class.model._default_manager.published())


@built_once
def published_by_slug(view_class):
    """`published_rows()` narrowed to the slug a `Slot` stands for (slugs are unique)."""
    return published_rows(view_class).filter(slug=Slot("slug", models.SlugField()))[:1]
