"""Add a video by URL, download it in the background, and show its progress here.

Ctrl-C stops following, not the download: the job goes on in the background (the command
says so, and how to cancel it), unless ``--cancel-on-interrupt`` asks to cancel it. Not a
question on a terminal: a prompt would hang a script run under a pty, and a flag says the
choice up front.
"""

from __future__ import annotations

import sys
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from jobs import live
from jobs.models import Job
from jobs.services import JobError, download_submit, job_cancel
from mvidarr.services import check_redis
from mvidarr.units import format_rate
from videos.models import Video, VideoFile
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
        parser.add_argument("url", nargs="?", default="")
        parser.add_argument(
            "--quality",
            default=None,
            choices=QUALITIES,
            help="default: the artist's quality profile, else the default profile",
        )
        parser.add_argument("--artist", default="", help="the artist's name")
        parser.add_argument("--title", default="")
        parser.add_argument("--force", action="store_true", help="download again if present")
        parser.add_argument("--user", default="", help="who starts the job (default: an admin)")
        parser.add_argument("--no-wait", action="store_true", help="submit and return")
        parser.add_argument("--timeout", type=float, default=0, help="give up waiting after N s")
        parser.add_argument(
            "--cancel-on-interrupt",
            action="store_true",
            help="Ctrl-C cancels the download (by default it goes on in the background)",
        )
        parser.add_argument(
            "--cancel", type=int, metavar="JOB_ID", help="cancel a download job and return"
        )

    def handle(
        self,
        *args,
        url: str,
        quality: str | None,
        artist: str,
        title: str,
        force: bool,
        user: str,
        no_wait: bool,
        timeout: float,
        cancel_on_interrupt: bool = False,
        cancel: int | None = None,
        **options,
    ) -> None:
        if cancel is None:
            if not url:
                raise CommandError("Give the URL of a video to download (or --cancel JOB_ID).")
            try:
                check_source_url(url)
            except InvalidSourceUrl as exc:
                raise CommandError(str(exc)) from None
        # Before anything is written: a job whose message cannot be sent would wait forever
        # (and a running download is told to stop through Redis).
        redis_check = check_redis()
        if not redis_check.ok:
            raise CommandError(redis_check.detail)
        if cancel is not None:
            return self._cancel(cancel, user)
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
            job, created = download_submit(video=video, user=owner, quality=quality, force=force)
        except JobError as exc:
            raise CommandError(str(exc)) from None
        chosen = quality or f"profile {job.options.get('profile_name') or '?'}"
        self.stdout.write(f"{'Submitted' if created else 'Following'} job #{job.pk} ({chosen}).")
        if no_wait:
            return
        try:
            job = self._follow(job, timeout)
        except KeyboardInterrupt:
            self._interrupted(job, owner, cancel=cancel_on_interrupt)
        if job.status != Job.Status.COMPLETED:
            raise CommandError(f"Job #{job.pk} {job.status}: {job.error or job.message}")
        video_file = VideoFile.objects.get(video=video)
        self.stdout.write(self.style.SUCCESS(f"{job.message}: {video_file.path}"))

    def _interrupted(self, job: Job, owner, *, cancel: bool) -> None:
        """After Ctrl-C: cancel the job or say that it goes on; exit 130 as shells expect."""
        self.stdout.write("")
        if cancel:
            try:
                job = job_cancel(job=job, user=owner)
            except JobError as exc:
                raise CommandError(
                    f"Job #{job.pk} was not cancelled: {exc}", returncode=130
                ) from None
            done = "cancelled" if job.status == Job.Status.CANCELLED else "cancelling"
            raise CommandError(f"Job #{job.pk} {done} (Ctrl-C).", returncode=130)
        raise CommandError(
            f"Stopped following job #{job.pk}; the download goes on in the background. Watch it "
            f"on the Jobs page, or cancel it with `manage.py download --cancel {job.pk}`.",
            returncode=130,
        )

    def _cancel(self, job_id: int, username: str) -> None:
        job = Job.objects.filter(pk=job_id).first()
        if job is None:
            raise CommandError(f"There is no job #{job_id}.")
        try:
            job = job_cancel(job=job, user=self._user(username))
        except JobError as exc:
            raise CommandError(f"Job #{job_id} was not cancelled: {exc}") from None
        done = "Cancelled" if job.status == Job.Status.CANCELLED else "Cancelling"
        self.stdout.write(f"{done} job #{job_id}.")

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

    def _follow(self, job: Job, timeout: float) -> Job:
        deadline = time.monotonic() + timeout if timeout else None
        interactive = self.stdout.isatty() if hasattr(self.stdout, "isatty") else False
        last_line = ""
        while True:
            job.refresh_from_db()
            figures = live.read_live([job.pk])[job.pk]
            percent = max(job.progress, float(figures.get("progress", 0.0)))
            line = f"{bar(percent)} {percent:5.1f} %  {activity(job, figures)}"
            if line != last_line:
                if interactive:
                    sys.stdout.write("\r" + line[:120].ljust(120))
                    sys.stdout.flush()
                else:
                    self.stdout.write(line)
                last_line = line
            if job.status in Job.FINISHED_STATUSES:
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


def activity(job: Job, figures: dict) -> str:
    """What the job is doing, without a percentage: the bar's figure is the only one.

    The row's message ("Downloading at 1.2 MB/s") is written every few seconds, the live figures
    every second; showing both made the line disagree with itself.
    """
    if job.status != Job.Status.PROCESSING or job.cancel_requested:
        return job.message
    phase = figures.get("phase")
    if phase == "merging":
        return "Merging video and audio"
    if phase is None and not job.message.startswith("Downloading"):
        return job.message  # "Starting", "Cancelling…"
    text = "Downloading"
    if figures.get("speed"):
        text += f" at {format_rate(figures['speed'])}"
    if figures.get("eta"):
        text += f", about {figures['eta']:.0f} s left"
    return text
