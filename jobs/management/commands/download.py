"""Add a video by URL, download it in the background, and show its progress here."""

from __future__ import annotations

import sys
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from jobs import live
from jobs.models import DownloadJob
from jobs.services import JobError, submit_video_download
from videos.models import Video
from videos.services import (
    InvalidSourceUrl,
    artist_get_or_create,
    check_source_url,
    video_create,
)
from videos.ytdlp import QUALITIES


class Command(BaseCommand):
    help = "Add a video by URL and download it (a worker must be running)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("url")
        parser.add_argument("--quality", default="best", choices=QUALITIES)
        parser.add_argument("--artist", default="", help="the artist's name")
        parser.add_argument("--title", default="")
        parser.add_argument("--force", action="store_true", help="download again if present")
        parser.add_argument("--user", default="", help="who starts the job (default: an admin)")
        parser.add_argument("--no-wait", action="store_true", help="submit and return")
        parser.add_argument("--timeout", type=float, default=0, help="give up waiting after N s")

    def handle(
        self,
        *args,
        url: str,
        quality: str,
        artist: str,
        title: str,
        force: bool,
        user: str,
        no_wait: bool,
        timeout: float,
        **options,
    ) -> None:
        try:
            check_source_url(url)
        except InvalidSourceUrl as exc:
            raise CommandError(str(exc)) from None
        owner = self._user(user)
        video = Video.objects.filter(source_url=url).first()
        if video is None:
            video = video_create(
                url=url,
                title=title,
                artist=artist_get_or_create(name=artist) if artist else None,
            )
            self.stdout.write(f"Added video #{video.pk}.")
        try:
            job, created = submit_video_download(
                video=video, user=owner, quality=quality, force=force
            )
        except JobError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{'Submitted' if created else 'Following'} job #{job.pk} ({quality}).")
        if no_wait:
            return
        job = self._follow(job, timeout)
        if job.status != DownloadJob.Status.COMPLETED:
            raise CommandError(f"Job #{job.pk} {job.status}: {job.error or job.message}")
        video.refresh_from_db()
        self.stdout.write(self.style.SUCCESS(f"{job.message}: {video.file_path}"))

    def _user(self, username: str):
        users = get_user_model().objects
        if username:
            found = users.filter(username=username).first()
            if found is None:
                raise CommandError(f"There is no user called {username!r}.")
            return found
        found = users.filter(is_superuser=True).order_by("pk").first()
        if found is None:
            raise CommandError("There is no admin account yet; run `make run` once or pass --user.")
        return found

    def _follow(self, job: DownloadJob, timeout: float) -> DownloadJob:
        deadline = time.monotonic() + timeout if timeout else None
        interactive = self.stdout.isatty() if hasattr(self.stdout, "isatty") else False
        last_line = ""
        while True:
            job.refresh_from_db()
            figures = live.read_live([job.pk])[job.pk]
            percent = max(job.progress, float(figures.get("progress", 0.0)))
            line = f"{bar(percent)} {percent:5.1f} %  {job.message}"
            if line != last_line:
                if interactive:
                    sys.stdout.write("\r" + line[:120].ljust(120))
                    sys.stdout.flush()
                else:
                    self.stdout.write(line)
                last_line = line
            if job.status in DownloadJob.FINISHED_STATUSES:
                if interactive:
                    sys.stdout.write("\n")
                return job
            if deadline is not None and time.monotonic() > deadline:
                raise CommandError(
                    f"Job #{job.pk} is still {job.status} after {timeout:.0f} s; it goes on in "
                    "the background."
                )
            time.sleep(0.5)


def bar(percent: float, width: int = 30) -> str:
    filled = round(width * min(max(percent, 0.0), 100.0) / 100)
    return "[" + "#" * filled + "-" * (width - filled) + "]"
