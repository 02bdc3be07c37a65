"""The API's one pagination: ``{count, next, previous, results}``, ``?page=N``, PAGE_SIZE a page.

Every list endpoint is a :class:`ListApi`, so the schema documents each list the same way
(``Paginated…List`` with its ``page`` parameter) and answers it the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.settings import api_settings
from rest_framework.views import APIView

COUNT_LIMIT = 10_000


class BoundedCountPaginator(Paginator):
    """Counts at most ``COUNT_LIMIT`` rows: a list that grows without end (a million job
    rows) costs a bounded query, not a count of the whole table. A longer list says
    ``COUNT_LIMIT``, and its pages stop there."""

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            return self.object_list[:COUNT_LIMIT].count()
        return min(len(self.object_list), COUNT_LIMIT)


class BoundedCountPagination(PageNumberPagination):
    django_paginator_class = BoundedCountPaginator


# An API view whose GET answers one page of a queryset. (A comment, not a docstring: the
# schema would take a docstring as the description of every list operation.)
class ListApi(APIView):
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    def paginated(
        self,
        queryset: QuerySet | KeysFirst,
        output: type[BaseSerializer] | Callable[[list], Iterable],
    ) -> Response:
        """The page the request asks for, serialised by ``output`` (a serializer class, or a
        function of the page's rows that returns their representations).
        """
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, self.request, view=self)
        many = output(page, many=True).data if isinstance(output, type) else list(output(page))
        return paginator.get_paginated_response(many)


class KeysFirst:
    """A queryset that a paginator (the pages' ``Paginator``, the API's pagination) reads a
    page of in two steps: the page's primary keys, then those rows.

    A deep page's OFFSET then skips entries of the index that serves the order (the keys
    alone are read) instead of rows with their joins: page 1,000 of 100,000 videos costs
    about what page 1 does. The rows come back in the queryset's order; ``count`` is the
    queryset's. ``rows`` is the queryset the rows are read from by their keys (default: the
    same): without the filters, a costly filter (a search) runs once, not twice.

    ``parts`` (optional) are querysets whose keys, one part after the other, are the same
    list as ``queryset``'s: an order along a join that only an INNER join can read from an
    index (videos by artist, then those without one) is read part by part.
    """

    def __init__(
        self,
        queryset: QuerySet,
        *,
        rows: QuerySet | None = None,
        parts: list[QuerySet] | None = None,
    ) -> None:
        self.queryset = queryset
        self.rows = queryset if rows is None else rows
        self.parts = parts or [queryset]

    @cached_property
    def _counts(self) -> list[int]:
        return [part.count() for part in self.parts]

    def count(self) -> int:
        if len(self.parts) == 1:
            return self.queryset.count()
        return sum(self._counts)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list:
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        keys = self._keys(index.start or 0, index.stop)
        rows = self.rows.in_bulk(keys)
        return [rows[key] for key in keys if key in rows]

    def _keys(self, start: int, stop: int | None) -> list:
        if len(self.parts) == 1:
            return list(self.queryset.values_list("pk", flat=True)[start:stop])
        keys: list = []
        offset = 0  # where the part begins in the whole list
        for part, count in zip(self.parts, self._counts, strict=True):
            end = offset + count
            if (stop is None or offset < stop) and start < end:
                first = max(start - offset, 0)
                last = None if stop is None else min(stop, end) - offset
                keys += part.values_list("pk", flat=True)[first:last]
            offset = end
        return keys
