"""Search, filters and sorting for list pages, driven by the query string."""

from .validators import parse_id


class ListControlsMixin:
    """For a ListView: `sort_options` maps ?sort= keys to orderings, `filter_params` names the ?filters
    that `apply_filters` understands. Querysets stay built by the view, so the query count stays fixed.

    A filter that names a record by its id (?project=3) is declared in `id_filters` (parameter -> lookup), so
    that every such id is checked in one place: one that is not a database id is ignored, like any unknown
    filter value, instead of reaching the query (a number beyond 64 bits is a 500 on SQLite)."""

    sort_options = {}
    id_filters = {}
    default_sort = None
    paginate_by = 50

    def apply_search(self, queryset, text):
        return queryset

    def apply_filters(self, queryset, params):
        return queryset

    def get_queryset(self):
        queryset = super().get_queryset()
        params = self.request.GET
        text = params.get("q", "").strip()[:100]
        if text:
            queryset = self.apply_search(queryset, text)
        for param, lookup in self.id_filters.items():
            pk = parse_id(params.get(param, ""))
            if pk is not None:
                queryset = queryset.filter(**{lookup: pk})
        queryset = self.apply_filters(queryset, params)
        sort = params.get("sort") or self.default_sort
        if sort not in self.sort_options:
            sort = self.default_sort
        self.current_sort = sort
        if sort:
            queryset = queryset.order_by(*self.sort_options[sort])
        return queryset

    def paginate_queryset(self, queryset, page_size):
        """A page number past the end shows the last page instead of a 404 (a list that shrank)."""
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["current_sort"] = getattr(self, "current_sort", None)
        context["query_without_page"] = query.urlencode()
        query.pop("sort", None)
        context["query_without_sort"] = query.urlencode()
        context["search_text"] = self.request.GET.get("q", "")
        return context
