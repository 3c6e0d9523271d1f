from django_filters.views import FilterView


class SectionMixin:
    """Marks the main navigation entry of the page (aria-current)."""

    section = None

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


class PublishedMixin:
    """Only what the public may see; unknown and unpublished slugs are 404s."""

    def get_queryset(self):
        return super().get_queryset().published()


class FilteredListView(SectionMixin, FilterView):
    """A list with filters in the URL; filters it cannot understand give a 400 page that says so."""

    paginate_by = 20

    def get(self, request, *args, **kwargs):
        self.filterset = self.get_filterset(self.get_filterset_class())
        if not self.filterset.is_bound or self.filterset.is_valid():
            self.object_list = self.filterset.qs
            status = 200
        else:
            self.object_list = self.filterset.queryset.none()
            status = 400
        context = self.get_context_data(filter=self.filterset, object_list=self.object_list)
        return self.render_to_response(context, status=status)

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(query_without_page=query.urlencode(), **kwargs)
