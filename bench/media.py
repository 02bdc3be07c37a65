"""The benchmark's media: padded MP4 clips of 1 to 20 MB and a tiny one, served by the test
media server (``tests.media.server``) in a child process.

The server's ``/slow/<bytes_per_s>/`` prefix caps each connection's rate, as a video site
does. Every video gets its own URL (``?v=<n>``), as every video on a site has.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bench.stack import PYTHON, Stack, wait_until
from tests.media.clips import make_clips, make_sized_clip

MB = 1_000_000
SIZES_MB = tuple(range(1, 21))  # 1 MB to 20 MB


@dataclass
class Media:
    base_url: str  # http://127.0.0.1:<port>
    tiny_path: str  # the 2-second 240p clip, a few tens of kB
    tiny_size: int

    def sized_path(self, size_mb: int) -> str:
        return f"sized/{size_mb}mb.mp4"

    def url(self, path: str, *, rate: int | None = None, tag: str | int = "") -> str:
        """The URL of ``path``, rate-capped per connection at ``rate`` bytes/s when given."""
        prefix = f"slow/{rate}/" if rate else ""
        query = f"?v={tag}" if tag != "" else ""
        return f"{self.base_url}/{prefix}{path}{query}"


def make_media(root: Path) -> None:
    """The clips, made once per directory (ffmpeg for the 240p clip, then padding)."""
    names = make_clips(root)
    source = root / names["240p"]
    for size_mb in SIZES_MB:
        target = root / "sized" / f"{size_mb}mb.mp4"
        if not target.exists() or target.stat().st_size != size_mb * MB:
            make_sized_clip(target, size_mb * MB, source=source)


def start_media_server(stack: Stack, root: Path) -> Media:
    child = stack.spawn("media", [PYTHON, "-m", "bench.media_server", str(root)])
    wait_until(
        lambda: "PORT " in child.log.read_text() or not child.alive(),
        timeout=30,
        what="the media server",
    )
    if not child.alive():
        raise RuntimeError(f"The media server did not start:\n{child.output()}")
    port = int(child.log.read_text().split("PORT ", 1)[1].split()[0])
    # The private-address guard lets MVidarr fetch from this loopback server only.
    stack.env["MVIDARR_ALLOWED_PRIVATE_HOSTS"] = f"127.0.0.1:{port}"
    names = make_clips(root)
    tiny = root / names["240p"]
    return Media(
        base_url=f"http://127.0.0.1:{port}", tiny_path=names["240p"], tiny_size=tiny.stat().st_size
    )
