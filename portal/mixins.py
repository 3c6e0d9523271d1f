import contextlib
from array import array

from django.db import connections, models
from django.http import Http404
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_filters.views import FilterView

from portal.compiled import Slot, compiled_once
from portal.models import built_once, planned_each_time
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
    """A list with filters in the URL; filters it cannot understand give a 400 page that says so."""

    paginate_by = 20
    paginator_class = KeysFirstPaginator

    def get(self, request, *args, **kwargs):
        self.filterset = self.get_filterset(self.get_filterset_class())
        self.filterset.offer_menus()
        if not self.filterset.is_bound or self.filterset.is_valid():
            self.object_list = self.filterset.qs
            status = 200
        else:
            self.object_list = self.filterset.queryset.none()
            status = 400
        # a filtered page's rows and count are planned with its own values (`planned_each_time`)
        filtered = not self.shows_everything()
        with planned_each_time(connections[self.object_list.db]) if filtered else contextlib.nullcontext():
            context = self.get_context_data(filter=self.filterset, object_list=self.object_list)
        return self.render_to_response(context, status=status)

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(query_without_page=query.urlencode(), **kwargs)

    def get_paginator(self, queryset, per_page, **kwargs):
        # a page's rows are read by key from the unfiltered list, with SQL compiled once
        rows = (self.row_queryset(), f"list:{type(self).__qualname__}:rows")
        if not self.shows_everything():
            return super().get_paginator(queryset, per_page, rows=rows, **kwargs)
        # the whole list: its keys in order move only with the content, so they are read once per
        # content generation and language (ties in the order break on the title in the page's language),
        # and any page's keys are a slice of them
        name = f"list-order:{type(self).__name__}:{get_language()}"
        order = kept_per_generation(name, lambda: array("q", queryset.values_list("pk", flat=True)))
        return super().get_paginator(queryset, per_page, rows=rows, order=order, **kwargs)

    def row_queryset(self):
        """What the page shows of each item, read by key: the list's own queryset unless the view says."""
        return self.get_queryset()

    def shows_everything(self):
        """No filter is chosen (the page number aside), and none is refused."""
        if not self.filterset.is_bound:
            return True
        return self.filterset.is_valid() and not any(
            value not in (None, "") for value in self.filterset.form.cleaned_data.values()
        )


@built_once
def published_rows(view_class):
    """A detail page's published items, with what it reads of them."""
    return view_class.shown(view_class.model._default_manager.published())


@built_once
def published_by_slug(view_class):
    """`published_rows()` narrowed to the slug a `Slot` stands for (slugs are unique)."""
    return published_rows(view_class).filter(slug=Slot("slug", models.SlugField()))[:1]
