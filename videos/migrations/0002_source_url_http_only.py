"""Source addresses are http(s) only: the rule on the field, and the rows stored before it.

A feed import could store ``javascript:``, ``data:`` or ``file:`` addresses as a video's
source (issue 11). Such a video loses the address and says why in
``metadata["source_url_refused"]``; it is marked failed unless it was already downloaded
(its file stays playable). A thumbnail address that is not http(s) is dropped.
"""

from urllib.parse import urlsplit

from django.db import migrations, models

import videos.models

REASON = (
    "Its source address was removed: a {scheme} address is not a web page. "
    "Add the video again by its http:// or https:// address."
)


def _is_http_url(value: str) -> bool:
    # A copy of videos.models.is_http_url as it was when this migration was written.
    if not value or len(value) > 2000:
        return False
    if any(ord(char) <= 0x20 or ord(char) == 0x7F for char in value):
        return False
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(host)


def _scheme(value: str) -> str:
    scheme, colon, _ = value.partition(":")
    if colon and scheme.isascii() and scheme.replace("+", "").replace("-", "").isalnum():
        return f"{scheme.lower()}:"
    return "malformed"


def refuse_non_http_addresses(apps, schema_editor) -> None:
    """Clear every source that is not http(s) (failing the video unless downloaded)."""
    Video = apps.get_model("videos", "Video")
    rows = Video.objects.only("pk", "source_url", "thumbnail_url", "status", "metadata")
    for video in rows.order_by("pk").iterator(chunk_size=2000):
        fields = []
        if not _is_http_url(video.source_url):
            reason = REASON.format(scheme=_scheme(video.source_url))
            video.metadata = {**(video.metadata or {}), "source_url_refused": reason}
            video.source_url = ""
            fields += ["source_url", "metadata"]
            if video.status != "downloaded":
                video.status = "failed"
                fields.append("status")
        if video.thumbnail_url and not _is_http_url(video.thumbnail_url):
            video.thumbnail_url = ""
            fields.append("thumbnail_url")
        if fields:
            video.save(update_fields=fields)


class Migration(migrations.Migration):
    dependencies = [
        ("videos", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="video",
            name="source_url",
            field=models.URLField(max_length=2000, validators=[videos.models.validate_source_url]),
        ),
        migrations.RunPython(refuse_non_http_addresses, migrations.RunPython.noop),
    ]
