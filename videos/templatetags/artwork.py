"""``{% artwork_src video %}`` and ``{% artist_artwork_src artist %}``: the address of
MVidarr's own copy of the artwork (never the site's), or "" when there is none.

The address carries the picture's modification time, so a browser may keep it for long and
still sees a new picture at once.
"""

from django import template
from django.urls import reverse

from videos.library.artwork import artist_artwork_path, video_artwork_path
from videos.models import Artist, Video

register = template.Library()


@register.simple_tag
def artwork_src(video: Video) -> str:
    return _src(video_artwork_path(video), reverse("video-artwork", args=[video.pk]))


@register.simple_tag
def artist_artwork_src(artist: Artist) -> str:
    return _src(artist_artwork_path(artist), reverse("artist-artwork", args=[artist.pk]))


def _src(path, url: str) -> str:
    try:
        version = path.stat().st_mtime_ns
    except OSError:
        return ""
    return f"{url}?v={version:x}"
