"""One monotonic 0-100 % figure from yt-dlp's progress events, and the cancel check."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from videos.ytdlp.errors import Cancelled, PlaylistRefused
from videos.ytdlp.info import as_float


@dataclass
class Progress:
    percent: float  # 0-100, never decreasing over the whole download (see ProgressTracker)
    downloaded_bytes: int
    total_bytes: int | None
    speed: float | None  # bytes per second
    eta: float | None  # seconds
    phase: str  # "downloading" | "merging"


class ProgressTracker:
    """Turns yt-dlp's per-stream progress into one figure for the whole download.

    A merged download runs one pass per stream (video, then audio). Each pass gets a share of
    0-100 in proportion to its size when yt-dlp knows every size up front, else an equal share.
    Inside a pass the fraction is bytes over total (or estimate), or fragments done over
    fragments for HLS when no total is known. The figure never goes down; after the last
    pass it is 100, and post-processing (merging, remuxing) reports phase "merging" at 100.
    ``downloaded_bytes`` counts every pass; ``total_bytes`` is the finished passes plus the
    current pass's total, or None while the current pass does not know its total.
    """

    def __init__(
        self, on_progress: Callable[[Progress], None], should_cancel: Callable[[], bool]
    ) -> None:
        self._on_progress = on_progress
        self._should_cancel = should_cancel
        self._weights: dict[str, float] = {}  # format_id -> share, in download order
        self._finished_bytes: dict[str, int] = {}
        self._last = Progress(0.0, 0, None, None, None, "downloading")

    def _check_cancel(self) -> None:
        if self._should_cancel():
            raise Cancelled()

    def match_filter(self, info: dict[str, Any], *, incomplete: bool = False) -> None:
        """yt-dlp's match_filter: refuses playlists, learns the streams about to be downloaded.

        yt-dlp asks it about a playlist as a whole before resolving any entry, and about the
        final video (with ``requested_formats`` when streams will be merged) just before the
        download; the progress hook itself never sees the list of streams.
        """
        if info.get("playlist_id") is not None or info.get("playlist_index") is not None:
            raise PlaylistRefused()
        if not incomplete:
            formats = info.get("requested_formats") or [info]
            sizes = [f.get("filesize") or f.get("filesize_approx") for f in formats]
            self._weights = {
                str(f.get("format_id")): float(size) if all(sizes) else 1.0
                for f, size in zip(formats, sizes, strict=True)
            }

    def on_download(self, status: dict[str, Any]) -> None:
        self._check_cancel()
        key = str((status.get("info_dict") or {}).get("format_id"))
        if key not in self._weights:  # an unplanned stream: give it an average share
            shares = self._weights.values()
            self._weights[key] = sum(shares) / len(shares) if shares else 1.0
        downloaded = int(status.get("downloaded_bytes") or 0)
        total = status.get("total_bytes") or status.get("total_bytes_estimate")
        if status.get("status") == "finished":
            fraction = 1.0
            self._finished_bytes[key] = downloaded or int(total or 0)
        elif status.get("total_bytes"):
            fraction = downloaded / status["total_bytes"]
        elif status.get("fragment_count"):  # fragment_index is the one in flight, from 1
            fraction = ((status.get("fragment_index") or 1) - 1) / status["fragment_count"]
        elif total:
            fraction = downloaded / total
        else:
            fraction = 0.0
        keys = list(self._weights)
        done = sum(self._weights[k] for k in keys[: keys.index(key)])
        percent = 100.0 * (done + self._weights[key] * min(fraction, 1.0))
        percent /= sum(self._weights.values())
        other_bytes = sum(b for k, b in self._finished_bytes.items() if k != key)
        if status.get("status") == "finished":
            current, current_total = self._finished_bytes[key], self._finished_bytes[key]
        else:
            current, current_total = downloaded, status.get("total_bytes")
        self._emit(
            Progress(
                percent=min(max(percent, self._last.percent), 100.0),
                downloaded_bytes=max(other_bytes + current, self._last.downloaded_bytes),
                total_bytes=(other_bytes + int(current_total)) if current_total else None,
                speed=as_float(status.get("speed")),
                eta=as_float(status.get("eta")),
                phase="downloading",
            )
        )

    def on_postprocess(self, status: dict[str, Any]) -> None:
        self._check_cancel()
        # MoveFiles runs after every download; only ffmpeg work (merge, fixups) is "merging".
        if status.get("status") == "started" and status.get("postprocessor") != "MoveFiles":
            self._emit(dataclasses.replace(self._last, percent=100.0, phase="merging", eta=None))

    def finish(self) -> None:
        if self._last.percent < 100.0:
            self._emit(dataclasses.replace(self._last, percent=100.0, eta=0.0))

    def _emit(self, progress: Progress) -> None:
        self._last = progress
        self._on_progress(progress)
