"""A folder of existing files to import, made by the tests with the session's clips, and
the scan and apply jobs run inline (the runner called until the job ends)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from jobs.models import ImportRow, Job
from jobs.services.importing import import_apply_submit, import_scan_submit
from jobs.worker.importing import run_import_apply, run_import_scan
from tests.media.clips import ffmpeg_exe

NFO = """<?xml version="1.0" encoding="UTF-8"?>
<musicvideo><title>Glory Box</title><artist>Portishead</artist>
<uniqueid type="youtube" default="true">{id}</uniqueid></musicvideo>
"""


def remux(source: Path, target: Path, *metadata: str) -> Path:
    """``source`` copied into ``target``'s container, with ``metadata`` ("key=value") tags."""
    tags = [arg for item in metadata for arg in ("-metadata", item)]
    command = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-i", str(source)]
    subprocess.run([*command, "-map", "0", "-c", "copy", *tags, str(target)], check=True)
    return target


def truncated_copy(source: Path, target: Path) -> Path:
    """The first 60 % of ``source``: its header still declares the whole duration."""
    data = source.read_bytes()
    target.write_bytes(data[: len(data) * 6 // 10])
    return target


def make_import_folder(root: Path, clip: Path, outside: Path) -> dict[str, Path]:
    """Under ``root``: every kind of file an import meets. Returns them by role."""
    root.mkdir(parents=True, exist_ok=True)
    files = {
        "named": root / "Portishead - Roads.mp4",
        "id": root / "Army of Me [arMy0fMe01].mp4",
        "nfo": root / "described.mp4",
        "tags": root / "tagged.mp4",
        "text": root / "notes.txt",
        "truncated": root / "Broken - Cut Short.mp4",
        "symlink": root / "escape.mp4",
        "nested": root / "Massive Attack" / "Teardrop.mkv",
    }
    shutil.copyfile(clip, files["named"])
    shutil.copyfile(clip, files["id"])
    shutil.copyfile(clip, files["nfo"])
    (root / "described.nfo").write_text(NFO.format(id="nfoGloryBox"))
    remux(clip, files["tags"], "title=Unfinished Sympathy", "artist=Massive Attack")
    files["text"].write_text("not a video at all\n")
    truncated_copy(clip, files["truncated"])
    outside.mkdir(parents=True, exist_ok=True)
    secret = outside / "secret.mp4"
    shutil.copyfile(clip, secret)
    os.symlink(secret, files["symlink"])
    files["nested"].parent.mkdir()
    remux(clip, files["nested"])
    return files


def snapshot(*roots: Path) -> dict[str, tuple]:
    """Every entry under ``roots``: a file's bytes and mode, a link's target."""
    seen = {}
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_symlink():
                seen[str(path)] = ("link", os.readlink(path))
            elif path.is_file():
                seen[str(path)] = ("file", path.read_bytes(), path.stat().st_mode)
            else:
                seen[str(path)] = ("folder", path.stat().st_mode)
    return seen


def run_to_the_end(job: Job, run, context) -> Job:
    for _ in range(200):
        run(job.pk, context=context)
        job.refresh_from_db()
        if job.status in Job.FINISHED_STATUSES:
            return job
    raise AssertionError(f"job {job.pk} did not end: {job.status} {job.message}")


def scan(path: Path, mode: str, context, user) -> tuple[Job, dict[str, ImportRow]]:
    job = run_to_the_end(
        import_scan_submit(path=str(path), mode=mode, user=user), run_import_scan, context
    )
    assert job.status == "completed", job.error
    rows = {Path(row.path).name: row for row in ImportRow.objects.filter(job=job)}
    return job, rows


def apply(job: Job, indexes: list[int], context, user) -> Job:
    applied = import_apply_submit(scan_id=job.pk, rows=indexes, user=user)
    return run_to_the_end(applied, run_import_apply, context)
