"""``{% artwork_src video %}`` and ``{% artist_artwork_src artist %}``: the address of
MVidarr's own copy of the artwork (never the site's), or "" when there is none.

The address carries the picture's modification time, so a browser may keep it for long and
still sees a new picture at once (:func:`videos.selectors.video_artwork_url`, which the
API's ``artwork`` field gives too).
"""

from django import template

from videos.models import Artist, Video
from videos.selectors import artist_artwork_url, video_artwork_url

register = template.Library()


@register.simple_tag
def artwork_src(video: Video) -> str:
    return video_artwork_url(video) or ""


@register.simple_tag
def artist_artwork_src(artist: Artist) -> str:
    return artist_artwork_url(artist) or ""
