"""Titles and artist names stored before the bidi rule lose their bidirectional controls.

Since issue 11 every service stores titles and names through
``videos.naming.without_bidi_controls``; rows stored before keep U+202A–U+202E and
U+2066–U+2069, which reorder what the pages show ("evil\u202ekpm.exe"). This pass removes
them once. Only rows that hold one are read back and written.
"""

from django.db import migrations
from django.db.models import Q

# A copy of videos.naming's set as it was when this migration was written.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_DROP = dict.fromkeys(map(ord, BIDI_CONTROLS))


def _containing(field: str) -> Q:
    query = Q()
    for char in BIDI_CONTROLS:
        query |= Q(**{f"{field}__contains": char})
    return query


def strip_bidi_controls(apps, schema_editor):
    for model, fields in (("Video", ("title",)), ("Artist", ("name", "sort_name"))):
        Model = apps.get_model("videos", model)
        query = Q()
        for field in fields:
            query |= _containing(field)
        for row in Model.objects.filter(query).only("pk", *fields).iterator():
            for field in fields:
                setattr(row, field, getattr(row, field).translate(_DROP).strip())
            row.save(update_fields=fields)


class Migration(migrations.Migration):
    dependencies = [("videos", "0002_source_url_http_only")]

    operations = [migrations.RunPython(strip_bidi_controls, migrations.RunPython.noop)]
