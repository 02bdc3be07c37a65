"""The API's request parsers."""

from __future__ import annotations

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with JSON nested too deeply for Python answered 400, not 500.

    ``json`` raises RecursionError (not ValueError) for arrays or objects nested about a
    thousand deep, which DRF does not catch.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(
                "The JSON is nested too deeply to read; no request needs more than a few levels."
            ) from None
