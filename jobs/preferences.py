"""The runner's and housekeeping's settings (preferences app): read when a download claims
its slots and when housekeeping runs, so a change applies without a restart."""

from __future__ import annotations

from typing import Any

from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.core.exceptions import ValidationError

from preferences.registry import SettingSpec
from preferences.validators import text

PER_SITE = "downloads.per_site"
PER_WORKER = "downloads.per_worker"
MIN_FREE_MB = "downloads.min_free_mb"
RETENTION_DAYS = "jobs.retention_days"
HOUSEKEEPING_CRON = "jobs.housekeeping_cron"

DEFAULT_HOUSEKEEPING_CRON = "*/5 * * * *"
MAX_PER_SITE = 100_000
MAX_FREE_MB = 100_000_000  # 100 TB
MAX_RETENTION_DAYS = 3650


def whole_number(minimum: int, maximum: int, unit: str):
    """A validator for a whole number from ``minimum`` to ``maximum`` (``unit`` names it in
    the sentence)."""

    def validate(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"Write a whole number of {unit}, not {value!r}.", code="invalid")
        if not minimum <= value <= maximum:
            raise ValidationError(
                f"Write from {minimum} to {maximum} {unit} (this is {value}).", code="range"
            )
        return value

    return validate


def per_worker(value: Any) -> int:
    """0 (as many as the worker's threads) up to MVIDARR_WORKER_THREADS."""
    threads = settings.WORKER_THREADS
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"Write a whole number of downloads, not {value!r}.", code="invalid")
    if not 0 <= value <= threads:
        raise ValidationError(
            f"Write from 1 to {threads} downloads (the worker's threads, MVIDARR_WORKER_THREADS),"
            f" or 0 for as many as its threads; {value} is not possible.",
            code="range",
        )
    return value


def cron_schedule(value: Any) -> str:
    """Five crontab fields (minute hour day month day-of-week), the day of the week as a
    name or ``*`` (dramatiq-crontab refuses numbers there)."""
    cleaned = " ".join(text(max_length=100)(value).split())
    fields = cleaned.split(" ")
    if len(fields) != 5:
        raise ValidationError(
            f"Write five fields (minute hour day month weekday), such as */5 * * * *; "
            f"{cleaned!r} has {len(fields)}.",
            code="invalid",
        )
    if any(char.isdigit() for char in fields[4]):
        raise ValidationError(
            "Write the day of the week as a name (mon-fri, sun) or *, not a number.",
            code="invalid",
        )
    try:
        CronTrigger.from_crontab(cleaned)
    except ValueError as error:
        raise ValidationError(
            f"{cleaned!r} is not a crontab schedule ({error}); write one such as */5 * * * *.",
            code="invalid",
        ) from None
    return cleaned


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec(
        key=PER_WORKER,
        label="Downloads at once per worker",
        default=0,
        validate=per_worker,
        env="MVIDARR_DOWNLOADS_PER_WORKER",
        help="At most this many downloads run at once in each worker process; 0: as many as "
        "its threads (MVIDARR_WORKER_THREADS, the most it can be).",
    ),
    SettingSpec(
        key=PER_SITE,
        label="Downloads at once per site",
        default=4,
        validate=whole_number(1, MAX_PER_SITE, "downloads"),
        env="MVIDARR_PER_HOST_LIMIT",
        help="Downloads and indexes from one site at the same time, over every worker.",
    ),
    SettingSpec(
        key=MIN_FREE_MB,
        label="Minimum free space (MB)",
        default=500,
        validate=whole_number(0, MAX_FREE_MB, "MB"),
        env="MVIDARR_MIN_FREE_MB",
        help="A download does not start when the library's disk has less free; health says so.",
    ),
    SettingSpec(
        key=RETENTION_DAYS,
        label="Keep finished jobs and history (days)",
        default=30,
        validate=whole_number(1, MAX_RETENTION_DAYS, "days"),
        env="MVIDARR_JOB_RETENTION_DAYS",
        help="Housekeeping deletes finished jobs and history rows older than this.",
    ),
    SettingSpec(
        key=HOUSEKEEPING_CRON,
        label="Housekeeping schedule (crontab)",
        default=DEFAULT_HOUSEKEEPING_CRON,
        validate=cron_schedule,
        env="MVIDARR_HOUSEKEEPING_CRON",
        help="When housekeeping runs, in the server's time zone: minute hour day month "
        "weekday (a name such as mon, or *).",
    ),
)
