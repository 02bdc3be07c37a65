"""Upgrades: checking the files below their profile's cutoff for a better format, and
downloading one when it is offered.

- :func:`upgrades_check_due` is the scheduler's run (and a person's "check now"): it claims at
  most ``limit`` videos of the cutoff-unmet list whose last check is older than
  ``UPGRADE_CHECK_INTERVAL_SECONDS`` (:func:`upgrade_candidates_claim`, a conditional UPDATE
  of ``upgrade_checked_at``, so two schedulers never check one video twice) and starts one
  ``upgrade_check`` job for each.
- :func:`upgrade_check_submit` checks one video now, whenever it was last checked.
- :func:`upgrade_download_submit` (the check's runner calls it) queues a forced re-download
  restricted to the qualities better than the file's: the file is replaced only once the new
  one is whole, and a failed download keeps it.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from jobs import kinds, live
from jobs.models import Job
from jobs.progress import publish_after_commit
from jobs.services.errors import JobConflict
from jobs.services.queueing import send_job_on_commit, send_jobs_on_commit
from jobs.services.shared import active_download, check_origin
from jobs.services.submit import download_create
from videos import quality, ytdlp
from videos.models import QualityProfile, Video
from videos.profiles import profile_plan
from videos.selectors import video_is_ignored
from videos.wanted import cutoff_unmet_list

logger = logging.getLogger(__name__)


class UpgradeCheckRunning(JobConflict):
    """The video's upgrade check is already queued or running."""


class NotBelowCutoff(JobConflict):
    """The video is not a candidate: downloaded below its profile's cutoff, upgrades allowed."""


class NothingDue(JobConflict):
    """No video below its cutoff is due for a check."""


@dataclass(frozen=True)
class UpgradeRun:
    """What one run started: videos claimed, checks started, and videos whose previous check
    still runs."""

    claimed: int
    started: int
    still_running: int
    jobs: list[Job] = field(default_factory=list)


def _due(now: datetime.datetime) -> Q:
    checked_before = now - datetime.timedelta(seconds=settings.UPGRADE_CHECK_INTERVAL_SECONDS)
    return Q(upgrade_checked_at__isnull=True) | Q(upgrade_checked_at__lte=checked_before)


def upgrade_candidates_claim(*, now: datetime.datetime, limit: int) -> list[int]:
    """Claim up to ``limit`` videos of the cutoff-unmet list not checked since
    ``UPGRADE_CHECK_INTERVAL_SECONDS`` before ``now`` (never checked first, then the longest
    unchecked); return their ids, their ``upgrade_checked_at`` now ``now``.

    The candidates are read ``FOR UPDATE SKIP LOCKED`` (PostgreSQL), so two claimers take
    disjoint sets, and claimed by an UPDATE conditional on each one still being due; when it
    finds fewer than it read (another claimer without row locks won some), nothing is
    claimed and the next run tries again. Either way no video is checked twice in the
    interval.
    """
    due = _due(now)
    with transaction.atomic():
        candidates = (
            cutoff_unmet_list()
            .filter(due, status=Video.Status.DOWNLOADED)  # not while a download of it runs
            .order_by(F("upgrade_checked_at").asc(nulls_first=True), "pk")
            .select_for_update(skip_locked=True, of=("self",))
        )
        ids = list(candidates.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        claimed = Video.objects.filter(due, pk__in=ids).update(upgrade_checked_at=now)
        if claimed != len(ids):
            transaction.set_rollback(True)
            logger.warning("another scheduler claimed upgrade checks at the same time; next run")
            return []
    return ids


def _active_checks(video_ids: Iterable[int]) -> set[int]:
    return set(
        Job.objects.filter(
            kind=kinds.UPGRADE_CHECK, status__in=Job.ACTIVE_STATUSES, video_id__in=list(video_ids)
        ).values_list("video_id", flat=True)
    )


def _check_job(*, video_id: int, user, origin: str) -> Job:
    return Job(
        kind=kinds.UPGRADE_CHECK,
        video_id=video_id,
        user=user,
        origin=origin,
        message="Waiting for a worker",
    )


@transaction.atomic
def upgrades_check_due(
    *,
    now: datetime.datetime,
    limit: int,
    user=None,
    origin: str = Job.Origin.SCHEDULE,
) -> UpgradeRun:
    """Claim the due candidates (:func:`upgrade_candidates_claim`) and start one
    ``upgrade_check`` job each, in one INSERT; a video whose previous check still runs is
    counted and skipped. A person's run (``user``) raises :class:`NothingDue` when nothing
    is due, and needs Redis first (the jobs are sent on commit).
    """
    check_origin(user=user, origin=origin)
    if user is not None:
        live.require_redis()
    ids = upgrade_candidates_claim(now=now, limit=limit)
    if not ids:
        if user is not None:
            days = settings.UPGRADE_CHECK_INTERVAL_SECONDS // 86400
            raise NothingDue(
                "No video below its profile's cutoff is due for an upgrade check (each is "
                f"checked at most once in {days} days); check one video to check it now."
            )
        return UpgradeRun(claimed=0, started=0, still_running=0)
    running = _active_checks(ids)
    jobs = Job.objects.bulk_create(
        [_check_job(video_id=pk, user=user, origin=origin) for pk in ids if pk not in running]
    )
    send_jobs_on_commit(jobs)
    if user is not None:
        for job in jobs:
            publish_after_commit(job)
    if running:
        logger.info("%d upgrade checks skipped: the previous one still runs", len(running))
    return UpgradeRun(claimed=len(ids), started=len(jobs), still_running=len(running), jobs=jobs)


@transaction.atomic
def upgrade_check_submit(
    *, video: Video, user, origin: str = Job.Origin.USER, now: datetime.datetime | None = None
) -> Job:
    """Check ``video`` for a better format now, whenever it was last checked.

    Raises :class:`NotBelowCutoff` when it is not on the cutoff-unmet list and
    :class:`UpgradeCheckRunning` while its check is queued or running (both conflicts).
    """
    check_origin(user=user, origin=origin)
    video = Video.objects.select_for_update().get(pk=video.pk)
    if not cutoff_unmet_list().filter(pk=video.pk).exists():
        raise NotBelowCutoff(
            f"“{video}” is not below its profile's cutoff (or its profile allows no "
            "upgrades, or it has no file): there is nothing to upgrade."
        )
    if _active_checks([video.pk]):
        raise UpgradeCheckRunning(
            f"An upgrade check of “{video}” is already queued or running; wait for it."
        )
    live.require_redis()
    Video.objects.filter(pk=video.pk).update(upgrade_checked_at=now or timezone.now())
    job = _check_job(video_id=video.pk, user=user, origin=origin)
    job.save()
    job.video = video
    send_job_on_commit(job)
    publish_after_commit(job)
    return job


def upgrade_options(
    *, profile: QualityProfile, better: list[str], from_quality: str | None
) -> dict[str, object]:
    """A forced re-download's options that fetch only a better file: the profile's plan
    narrowed to its qualities above ``from_quality`` (a raw format string is the profile's
    own, and stays as it is); ``better`` is what the check saw on offer, best first."""
    if profile.format:
        plan = profile_plan(profile)
    else:
        plan = ytdlp.plan_for_profile(
            name=profile.name,
            qualities=quality.above(list(profile.qualities), from_quality),
            container=profile.container,
        )
    return {
        "quality": None,
        "profile": profile.pk,
        **plan.as_options(),
        "force": True,
        "upgrade": {"from": from_quality, "offered": better[0] if better else None},
    }


@transaction.atomic
def upgrade_download_submit(
    *,
    video: Video,
    profile: QualityProfile,
    better: list[str],
    from_quality: str | None,
    user,
    origin: str,
) -> Job | None:
    """Queue a forced re-download of ``video`` that fetches one of ``better`` (best first);
    None, and nothing queued, when a download of it is already queued or running, when it
    was ignored meanwhile or has lost its file."""
    video = Video.objects.select_for_update().get(pk=video.pk)
    if video.status != Video.Status.DOWNLOADED or video_is_ignored(video):
        return None
    if active_download(video) is not None:
        return None
    options = upgrade_options(profile=profile, better=better, from_quality=from_quality)
    return download_create(video=video, user=user, origin=origin, options=options)
