"""The API's response renderers."""

from __future__ import annotations

from rest_framework import renderers


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON renderer, with text that UTF-8 cannot encode answered, not a 500.

    A refusal may quote what was sent ("\\ud800" is not a valid choice), and a lone surrogate
    in a JSON string is valid JSON that Python decodes but cannot encode as UTF-8. Such an
    answer is rendered again with every non-ASCII character escaped, which is still JSON.
    """

    def render(self, data, accepted_media_type=None, renderer_context=None):
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            ascii_only = type(self)()
            ascii_only.ensure_ascii = True
            return ascii_only.render(data, accepted_media_type, renderer_context)
