"""What the API modules share: documented error shapes and small helpers.

Imported by the apps' API modules (``videos.api``, ``jobs.api``) only. The errors themselves
are answered by :mod:`mvidarr.api_errors`; this only documents them.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

MAX_ID = 2**63 - 1  # the largest id the database can hold

DETAIL_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "What went wrong, as a sentence."}},
    "required": ["detail"],
}
FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "description": "Field name (or non_field_errors / detail) → messages; a list field's "
    "messages are keyed by the index of the bad item.",
    "additionalProperties": {
        "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "object"}]
    },
}
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    int,
    OpenApiParameter.HEADER,
    response=[429],
    description="Seconds to wait before trying again.",
)


def error_responses(**descriptions: str) -> dict[int, OpenApiResponse]:
    """The documented error answers, with this module's wording where it differs."""
    text = {
        400: "The body or the query is invalid.",
        401: "Not authenticated (send a JWT or log in).",
        403: "Only staff may do this.",
        404: "No such id.",
        409: "The request conflicts with the library's state.",
        429: "Too many requests; wait for Retry-After seconds.",
    }
    text.update({int(code.lstrip("_")): value for code, value in descriptions.items()})
    return {
        code: OpenApiResponse(FIELD_ERRORS_SCHEMA if code == 400 else DETAIL_SCHEMA, message)
        for code, message in text.items()
    }


def documented_errors(
    responses: dict[int, OpenApiResponse], *codes: int
) -> dict[int, OpenApiResponse]:
    """``responses`` of 401 (every endpoint) and ``codes``, for an ``extend_schema``."""
    return {code: responses[code] for code in (401, *codes)}
