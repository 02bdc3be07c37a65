"""A download's message says what it is doing; its progress bar and label say how far."""

from __future__ import annotations

from jobs.worker.progress import describe
from videos.ytdlp.progress import Progress


def progress(**fields) -> Progress:
    base = {"percent": 42.0, "downloaded_bytes": 10, "total_bytes": 20, "speed": None,
            "eta": None, "phase": "downloading"}  # fmt: skip
    return Progress(**{**base, **fields})


def test_the_message_of_a_download_does_not_repeat_its_percentage():
    assert describe(progress(speed=1_234_567)) == "Downloading at 1.2 MB/s"
    assert describe(progress()) == "Downloading"
    assert describe(progress(phase="merging")) == "Merging video and audio"
