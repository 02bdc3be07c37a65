"""The one door to yt-dlp: probe a URL, download one video, map failures to two kinds.

Nothing else in MVidarr imports ``yt_dlp``, and this package imports nothing from Django: the
caller passes a ``YtdlpConfig``. Failures come out as ``TransientError`` (worth retrying later)
or ``PermanentError`` (retrying will not help), each with a sentence a person can act on;
a cancelled download comes out as ``Cancelled``.

Callers use the names below (``from videos import ytdlp``; ``ytdlp.probe(...)``); the modules
behind them are ``config`` (YtdlpConfig, qualities, the JavaScript runtime), ``formats`` (the
plan of a quality profile or a per-job quality: selector, container, audio only, what is
allowed), ``results``, ``probing``, ``listing`` (one page of a channel's entries),
``searching`` (a site's search, flat), ``downloading`` (with the ffmpeg media-stream
check), ``errors`` (the mapping of yt-dlp's failures), ``progress``, ``info`` (info-dict
converters), ``session`` (one YoutubeDL from a config) and ``network`` (the private-address
guard). ``probing`` and ``downloading`` are not called ``probe`` and ``download`` so that
no module shadows the function of the same name on
this package.
"""

from videos.ytdlp.config import (
    QUALITIES,
    YtdlpConfig,
    ffmpeg_path,
    format_selector,
    js_runtime_status,
)
from videos.ytdlp.downloading import download
from videos.ytdlp.errors import Cancelled, PermanentError, TransientError, YtdlpError
from videos.ytdlp.formats import (
    FormatPlan,
    check_format,
    plan_for_profile,
    plan_for_quality,
    plan_from_options,
)
from videos.ytdlp.listing import list_page
from videos.ytdlp.probing import probe
from videos.ytdlp.progress import Progress
from videos.ytdlp.results import (
    DownloadResult,
    ListingPage,
    PlaylistEntry,
    PlaylistResult,
    ProbeResult,
    SearchHit,
)
from videos.ytdlp.searching import search

__all__ = [
    "QUALITIES",
    "Cancelled",
    "DownloadResult",
    "FormatPlan",
    "ListingPage",
    "PermanentError",
    "PlaylistEntry",
    "PlaylistResult",
    "ProbeResult",
    "Progress",
    "SearchHit",
    "TransientError",
    "YtdlpConfig",
    "YtdlpError",
    "check_format",
    "download",
    "ffmpeg_path",
    "format_selector",
    "js_runtime_status",
    "list_page",
    "plan_for_profile",
    "plan_for_quality",
    "plan_from_options",
    "probe",
    "search",
]
