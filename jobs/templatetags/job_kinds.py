"""``{% job_kinds_script %}``: the job kinds the pages' script knows, from the registry."""

from django import template
from django.utils.html import json_script
from django.utils.safestring import SafeString

from jobs import kinds

register = template.Library()


@register.simple_tag
def job_kinds_script() -> SafeString:
    """A ``<script type="application/json" id="job-kinds">`` that ``live.js`` reads."""
    return json_script(kinds.for_pages(), "job-kinds")
