"""The API's one pagination: ``{count, next, previous, results}``, ``?page=N``, PAGE_SIZE a page.

Every list endpoint is a :class:`ListApi`, so the schema documents each list the same way
(``Paginated…List`` with its ``page`` parameter) and answers it the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import QuerySet
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.settings import api_settings
from rest_framework.views import APIView


# An API view whose GET answers one page of a queryset. (A comment, not a docstring: the
# schema would take a docstring as the description of every list operation.)
class ListApi(APIView):
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    def paginated(
        self,
        queryset: QuerySet,
        output: type[BaseSerializer] | Callable[[list], Iterable],
    ) -> Response:
        """The page the request asks for, serialised by ``output`` (a serializer class, or a
        function of the page's rows that returns their representations).
        """
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, self.request, view=self)
        many = output(page, many=True).data if isinstance(output, type) else list(output(page))
        return paginator.get_paginated_response(many)
