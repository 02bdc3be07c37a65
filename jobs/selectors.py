"""Reading jobs: who may see which, and their live representation."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Case, F, Max, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils.functional import cached_property

from jobs import kinds, live
from jobs.models import HistoryEvent, Job
from jobs.serializers import JobSerializer
from mvidarr.pagination import COUNT_LIMIT, KeysFirst
from mvidarr.redis_outage import skipped_while_down

# The most items a bulk job's representation carries (GET /api/jobs/<id>/items/: them all).
ITEMS_SHOWN = 50


def jobs_visible_to(user) -> QuerySet[Job]:
    """Jobs ``user`` may see and act on: their own; staff see all, among them the jobs
    without a user (started by the scheduler or by MVidarr itself)."""
    queryset = Job.objects.select_related("video__artist")
    if user.is_staff:
        return queryset
    return queryset.filter(user=user)


def job_list(
    *,
    user,
    status: str | None = None,
    kind: str | None = None,
    hidden: bool = False,
    top_level: bool = False,
) -> QuerySet[Job]:
    """Jobs ``user`` may see, newest first; ``top_level`` leaves out a bulk job's items
    (:func:`job_representations` reads the few it shows)."""
    queryset = jobs_visible_to(user).filter(hidden=hidden)
    if top_level:
        queryset = queryset.filter(parent__isnull=True)
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


def job_get(*, user, job_id: int) -> Job | None:
    try:
        return jobs_visible_to(user).get(pk=job_id)  # no ORDER BY, unlike first()
    except Job.DoesNotExist:
        return None


def bulk_items_shown(
    parent_ids: Iterable[int], *, limit: int = ITEMS_SHOWN
) -> dict[int, list[Job]]:
    """The items each bulk job shows (its ``items``), at most ``limit``: the running ones,
    then the queued ones (each in the order they were added), then the most recently
    finished; a bulk of ``limit`` or fewer shows them all. ``{bulk job id: items}`` for
    ``parent_ids``, in two queries (the active items, the finished ones) whatever their
    number: read when a page or a list asks, never when an item changes."""
    parent_ids = list(parent_ids)
    shown: dict[int, list[Job]] = {parent_id: [] for parent_id in parent_ids}
    if not parent_ids:
        return shown
    running_first = Case(When(status=Job.Status.PROCESSING, then=Value(0)), default=Value(1))
    groups = (
        (Q(status__in=Job.ACTIVE_STATUSES), [running_first.asc(), F("id").asc()]),
        (
            Q(status__in=Job.FINISHED_STATUSES, finished_at__isnull=False),
            [F("finished_at").desc(), F("id").desc()],
        ),
    )
    for condition, order in groups:
        rows = (
            Job.objects.filter(condition, parent_id__in=parent_ids)
            .select_related("video__artist")
            .annotate(place=Window(RowNumber(), partition_by=[F("parent_id")], order_by=order))
            .filter(place__lte=limit)
            .order_by("parent_id", "place")
        )
        for item in rows:
            items = shown[item.parent_id]
            if len(items) < limit:
                items.append(item)
    return shown


def bulk_items(parent: Job, *, status: str | None = None) -> QuerySet[Job]:
    """All of a bulk job's items in the order they were added (``status`` narrows them):
    what ``GET /api/jobs/<id>/items/`` and the dashboard's pages list."""
    queryset = Job.objects.filter(parent_id=parent.pk).select_related("video__artist")
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("id")


def job_representations(
    jobs: Iterable[Job], *, with_items: bool = True, items: dict[int, list[Job]] | None = None
) -> list[dict]:
    """Serialize jobs with their live figures (one Redis round trip for all of them).

    A bulk job carries the items :func:`bulk_items_shown` picks (``items`` maps a bulk
    job's id to them when the caller has read them already). While Redis is down the rows
    alone are served: ``speed`` and ``eta`` are null.
    """
    jobs = list(jobs)
    items = dict(items or {})
    if with_items:
        parents = [job.pk for job in jobs if kinds.get(job.kind).has_children]
        items.update(bulk_items_shown([pk for pk in parents if pk not in items]))
    ids = [job.pk for job in jobs] + [child.pk for group in items.values() for child in group]
    figures: dict[int, dict] = {}  # while Redis is down: the rows' own values, no speed or eta
    with skipped_while_down("live figures"):
        figures = live.read_live(ids)
    context = {"live": figures, "items": items}
    return list(JobSerializer(jobs, many=True, context=context).data)


def job_representation(job: Job) -> dict:
    return job_representations([job])[0]


def recent_jobs_for(user, *, limit: int = 50, routine: bool = True) -> list[Job]:
    """Active jobs and the most recent finished ones, for a snapshot; without ``routine``,
    the finished ones leave out the routine kinds (probes, indexes: ``JobKind.routine``)."""
    queryset = job_list(user=user, top_level=True)
    active = list(queryset.filter(status__in=Job.ACTIVE_STATUSES)[:limit])
    finished = queryset.exclude(status__in=Job.ACTIVE_STATUSES)
    if not routine:
        finished = finished.exclude(kind__in=kinds.names(routine=True))
    return active + list(finished[:limit])


class DashboardJobs:
    """The dashboard's jobs as one sequence a ``Paginator`` reads: the active ones, then the
    finished ones (without ``routine``, the routine kinds left out), each newest first.

    Each part is read through its own index order (``job_status_newest``, ``job_newest``) and
    counted at most ``COUNT_LIMIT`` rows (a million job rows cost a bounded count); a page
    that spans both parts reads the end of the one and the start of the other. A finished
    page is read keys first (:class:`KeysFirst`), so a deep page skips index entries.
    """

    def __init__(self, user, *, routine: bool = True) -> None:
        queryset = job_list(user=user, top_level=True)
        self.active = queryset.filter(status__in=Job.ACTIVE_STATUSES)
        finished = queryset.exclude(status__in=Job.ACTIVE_STATUSES)
        if not routine:
            finished = finished.exclude(kind__in=kinds.names(routine=True))
        self.finished = finished

    @cached_property
    def active_count(self) -> int:
        return self.active[:COUNT_LIMIT].count()

    @cached_property
    def finished_count(self) -> int:
        return self.finished[:COUNT_LIMIT].count()

    def count(self) -> int:
        return self.active_count + self.finished_count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Job]:
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("The dashboard's jobs are read a page (a slice) at a time.")
        start, stop = index.start or 0, index.stop
        split = self.active_count
        rows = list(self.active[start : min(stop, split)]) if start < split else []
        if stop > split:
            rows += KeysFirst(self.finished)[max(start - split, 0) : stop - split]
        return rows


def job_newest_id() -> int:
    """The largest job id there is (0 when none), read from the primary key's index: a job
    with a larger id started after it was read."""
    return Job.objects.order_by("-id").values_list("id", flat=True).first() or 0


def video_last_probe(video) -> Job | None:
    """The newest metadata probe of ``video`` (whoever started it): what the page says."""
    return Job.objects.filter(video=video, kind=Job.Kind.METADATA_PROBE).order_by("-id").first()


def video_last_resolve(video) -> Job | None:
    """The newest search for ``video``'s source (whoever started it): what its page says."""
    return Job.objects.filter(video=video, kind=kinds.SOURCE_RESOLVE).order_by("-id").first()


def videos_last_upgrade_check(video_ids: Iterable[int]) -> dict[int, Job]:
    """``{video id: its newest upgrade check}`` for those of ``video_ids`` ever checked
    (whoever started the check), in one query: what the cutoff-unmet page says of each."""
    newest = (
        Job.objects.filter(kind=kinds.UPGRADE_CHECK, video_id__in=list(video_ids))
        .order_by()
        .values("video_id")
        .annotate(newest=Max("id"))
        .values("newest")
    )
    return {job.video_id: job for job in Job.objects.filter(pk__in=newest)}


def upgrade_check_outcome(job: Job | None) -> str:
    """What a video's last upgrade check found, in a sentence ("" when never checked): what
    the cutoff-unmet page and ``GET /api/wanted/cutoff/`` say of it."""
    if job is None:
        return ""
    if job.status in Job.ACTIVE_STATUSES:
        return "Checking now…"
    if job.status == Job.Status.FAILED:
        return f"The last check failed: {job.error}"
    if job.status == Job.Status.CANCELLED:
        return "The last check was cancelled."
    return job.message


def video_last_download(*, user, video) -> Job | None:
    """The newest download of ``video`` (a job holding its download slot) that ``user`` may
    see: what its page shows, and what the page's script follows for the video."""
    return (
        jobs_visible_to(user)
        .filter(video=video, kind__in=kinds.names(holds_video_slot=True))
        .order_by("-id")
        .first()
    )


def history_list(
    *, video=None, artist=None, source=None, event: str | None = None
) -> QuerySet[HistoryEvent]:
    """The library's history, newest first; ``video``, ``artist`` and ``source`` (a row or
    its id) and ``event`` narrow it. Everyone signed in reads all of it."""
    queryset = HistoryEvent.objects.select_related("artist", "user")
    for field, value in (("video", video), ("artist", artist), ("source", source)):
        if value is not None:
            queryset = queryset.filter(**{f"{field}_id": getattr(value, "pk", value)})
    if event:
        queryset = queryset.filter(event=event)
    return queryset.order_by("-created_at", "-id")


# --- metadata refreshes: the last one of a video, an artist, the library, and its outcome ---
def metadata_refresh_last(*, video=None, artist=None) -> Job | None:
    """The newest ``metadata_refresh`` of ``video``, of ``artist``'s videos, or (neither
    given) of the whole library: what the pages' "Refresh metadata" shows."""
    queryset = Job.objects.filter(kind=kinds.METADATA_REFRESH)
    if video is not None:
        queryset = queryset.filter(video=video)
    elif artist is not None:
        queryset = queryset.filter(options__scope="artist", options__target=artist.pk)
    else:
        queryset = queryset.filter(options__scope="library")
    return queryset.order_by("-id").first()


def metadata_refresh_outcome(job: Job) -> str:
    """What a finished refresh changed, in a sentence ("3 fields changed: album, year,
    directors."), from the ``metadata_changed`` history it recorded; empty while it runs or
    when it failed (its error says why)."""
    if job.status != Job.Status.COMPLETED:
        return ""
    changes = HistoryEvent.objects.filter(job=job, event=HistoryEvent.Event.METADATA_CHANGED)
    names: list[str] = []
    fields = videos = 0
    for data in changes.values_list("data", flat=True).iterator():
        changed = list((data or {}).get("changes", {}))
        videos += 1
        fields += len(changed)
        names += [name for name in changed if name not in names]
    checked = (job.options or {}).get("counts", {}).get("checked")
    if not fields:
        seen = f" in the {checked} videos checked" if checked and checked > 1 else ""
        return f"No field changed{seen}: the providers had nothing new."
    plural = "s" if fields != 1 else ""
    shown = ", ".join(name.replace("_", " ") for name in names[:8])
    if job.options.get("scope") == "video":
        return f"{fields} field{plural} changed: {shown}."
    return f"{fields} field{plural} changed in {videos} of {checked or videos} videos: {shown}."


def metadata_refresh_panel(*, user, video=None, artist=None) -> dict:
    """What a page's "Refresh metadata" panel shows: ``{"refresh": {"job", "outcome"}}``
    for staff (who alone may refresh), else nothing."""
    if not user.is_staff:
        return {}
    job = metadata_refresh_last(video=video, artist=artist)
    return {"refresh": {"job": job, "outcome": metadata_refresh_outcome(job) if job else ""}}
