"""The job kinds: every place that treats kinds differently reads this registry.

In the spirit of healthchecks' ``TRANSPORTS``: a kind is one entry here plus the module
that runs it. Routing (:mod:`jobs.services.queueing`), the actors (:mod:`jobs.actors`),
recovery, housekeeping, the serializer, the ops figures and the pages' script read the
entry; nothing else names a kind to decide what to do with it.

This module imports no model, actor or runner (``jobs.models`` builds its choices from it),
so a kind names the plain function that runs it by its dotted path; :mod:`jobs.actors`
imports it when it declares the kind's actors.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models


@dataclass(frozen=True)
class Route:
    """Where a job's message goes: the Dramatiq actor that receives it, on which queue."""

    actor: str
    queue: str


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str
    # What the downloads panel puts before a job's title; empty when the title says it all.
    short_label: str = ""
    # Dotted path of ``run(job_id: int, *, context: RunContext) -> None``; empty for a parent.
    run: str = ""
    # The route of a job of this kind; None for a parent kind: its children do the work.
    route: Route | None = None
    # The route of a job of this kind that is an item of a parent job (a bulk download's).
    item_route: Route | None = None
    # The route of a job of this kind started in a batch (``options["batch"]``: the probes of
    # an index's new videos): on the bulk queue, so thousands of them never hold up the
    # jobs a person waits for.
    batch_route: Route | None = None
    # A parent: its children are its items (serialized with it, cancelled and retried with
    # it), and its own state is the summary of theirs.
    has_children: bool = False
    # At most one active job of such kinds per video (a constraint), and the video's status
    # follows it (queued, downloading, downloaded, failed).
    holds_video_slot: bool = False
    # Counted as a download in the ops figures (bytes downloaded, download durations).
    counts_as_download: bool = False
    # What the pages call a job of this kind that is about no video nor URL ("" : its number).
    subject: str = ""
    # Routine work MVidarr does by itself by the hundred (a probe of each new video, an index
    # of each source): the pages' finished lists leave such jobs out unless asked to show them.
    routine: bool = False

    def route_for(self, *, in_parent: bool, batch: bool = False) -> Route:
        """The route of a job of this kind; ValueError for a parent kind."""
        if in_parent and self.item_route is not None:
            return self.item_route
        if batch and self.batch_route is not None:
            return self.batch_route
        if self.route is None:
            raise ValueError(f"{self.name} jobs have no actor: their children do the work")
        return self.route

    def routes(self) -> list[Route]:
        routes = (self.route, self.item_route, self.batch_route)
        return [route for route in routes if route is not None]


VIDEO_DOWNLOAD = "video_download"
BULK_VIDEO_DOWNLOAD = "bulk_video_download"
METADATA_PROBE = "metadata_probe"
SOURCE_INDEX = "source_index"
SOURCE_RESOLVE = "source_resolve"
LIBRARY_RENAME = "library_rename"
UPGRADE_CHECK = "upgrade_check"
IMPORT_SCAN = "import_scan"
IMPORT_APPLY = "import_apply"
NOTIFY = "notify"
MEDIA_REFRESH = "media_refresh"
SIDECARS_WRITE = "sidecars_write"
TAGS_WRITE = "tags_write"
ARTIST_IMPORT = "artist_import"
METADATA_REFRESH = "metadata_refresh"
VIDEO_IMPORT = "video_import"

KINDS: dict[str, JobKind] = {
    kind.name: kind
    for kind in (
        JobKind(
            name=VIDEO_DOWNLOAD,
            label="Video download",
            run="jobs.worker.download.run_download",
            route=Route("download_video", settings.QUEUE_INTERACTIVE),
            item_route=Route("download_bulk_item", settings.QUEUE_BULK),
            holds_video_slot=True,
            counts_as_download=True,
        ),
        JobKind(
            name=BULK_VIDEO_DOWNLOAD,
            label="Bulk video download",
            short_label="Bulk download",
            has_children=True,
        ),
        JobKind(
            name=METADATA_PROBE,
            label="Metadata probe",
            short_label="Lookup",
            run="jobs.worker.probe.run_probe",
            route=Route("probe_video", settings.QUEUE_INTERACTIVE),
            batch_route=Route("probe_video_batch", settings.QUEUE_BULK),
            routine=True,
        ),
        JobKind(
            name=SOURCE_INDEX,
            label="Source index",
            short_label="Index",
            run="jobs.worker.index.run_index",
            # On the bulk queue: an index is background work, one page per message.
            route=Route("index_source", settings.QUEUE_BULK),
            routine=True,
        ),
        JobKind(
            name=SOURCE_RESOLVE,
            label="Find a source",
            short_label="Find a source",
            run="jobs.worker.resolve.run_resolve",
            # One search: as quick as a probe, and what a person who just added a video
            # waits for.
            route=Route("resolve_source", settings.QUEUE_INTERACTIVE),
        ),
        JobKind(
            name=LIBRARY_RENAME,
            label="Library rename",
            short_label="Rename",
            run="jobs.worker.rename.run_rename",
            # On the bulk queue: background work, one page of files per message.
            route=Route("rename_library", settings.QUEUE_BULK),
            subject="The library's files",
        ),
        JobKind(
            # One video each: a probe for a better format than its file's (an upgrade), within
            # the host's limits like any fetch; when one is offered it queues the download.
            name=UPGRADE_CHECK,
            label="Upgrade check",
            short_label="Upgrade check",
            run="jobs.worker.upgrade.run_upgrade_check",
            route=Route("check_upgrade", settings.QUEUE_BULK),
        ),
        JobKind(
            # A folder's files read and matched, a page per message; nothing changes.
            name=IMPORT_SCAN,
            label="Import scan",
            short_label="Import scan",
            run="jobs.worker.importing.run_import_scan",
            route=Route("scan_import", settings.QUEUE_BULK),
        ),
        JobKind(
            # The rows a person ticked made videos with their files, a page per message.
            name=IMPORT_APPLY,
            label="Import",
            short_label="Import",
            run="jobs.worker.importing.run_import_apply",
            route=Route("apply_import", settings.QUEUE_BULK),
        ),
        JobKind(
            name=NOTIFY,
            label="Notification",
            short_label="Notify",
            run="jobs.worker.notify.run_notify",
            # One short request to a connection: quick, and a test is what a person waits for.
            route=Route("notify_connection", settings.QUEUE_INTERACTIVE),
            subject="A connection",
        ),
        JobKind(
            name=MEDIA_REFRESH,
            label="Media-server refresh",
            short_label="Refresh",
            run="jobs.worker.notify.run_media_refresh",
            route=Route("refresh_media_server", settings.QUEUE_INTERACTIVE),
            subject="A media server",
        ),
        JobKind(
            name=SIDECARS_WRITE,
            label="Sidecar rewrite",
            short_label="Sidecars",
            run="jobs.worker.sidecars.run_sidecars",
            route=Route("write_sidecars", settings.QUEUE_INTERACTIVE),
            # After a batch of probes (an index's new videos): behind what a person waits for.
            batch_route=Route("write_sidecars_batch", settings.QUEUE_BULK),
        ),
        JobKind(
            name=TAGS_WRITE,
            label="Tag writing",
            short_label="Tags",
            run="jobs.worker.sidecars.run_sidecars",
            route=Route("write_tags", settings.QUEUE_INTERACTIVE),
        ),
        JobKind(
            name=ARTIST_IMPORT,
            label="Add an artist from a provider",
            short_label="Add artist",
            run="jobs.worker.artist_import.run_artist_import",
            # On the bulk queue: a videography is many requests at the provider's rate, in
            # pages of videos, one page per message.
            route=Route("import_artist", settings.QUEUE_BULK),
        ),
        JobKind(
            name=METADATA_REFRESH,
            label="Metadata refresh",
            short_label="Metadata",
            run="jobs.worker.metadata.run_metadata_refresh",
            # Background work at the providers' rate, one page of videos per message.
            route=Route("refresh_metadata", settings.QUEUE_BULK),
        ),
        JobKind(
            name=VIDEO_IMPORT,
            label="Add a video from a provider",
            short_label="Add video",
            run="jobs.worker.video_import.run_video_import",
            # One video a person chose from a search and waits for: one or two requests.
            route=Route("import_video", settings.QUEUE_INTERACTIVE),
        ),
    )
}

# ``Job.Kind``: the built-in kinds by name (``Job.Kind.VIDEO_DOWNLOAD``), built from the
# registry so that the two cannot disagree; the OpenAPI schema names it JobKindEnum.
Kind = models.TextChoices(
    "Kind", [(kind.name.upper(), (kind.name, kind.label)) for kind in KINDS.values()]
)


def choices() -> list[tuple[str, str]]:
    """Every registered kind as ``(name, label)``: the ``kind`` column's choices."""
    return [(kind.name, kind.label) for kind in KINDS.values()]


def get(name: str) -> JobKind:
    """The registered kind called ``name``; ValueError when there is none."""
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"{name!r} is not a registered job kind") from None


def names(**flags: bool) -> list[str]:
    """Names of the kinds whose attributes equal ``flags``, e.g. ``names(has_children=False)``."""
    return [
        kind.name
        for kind in KINDS.values()
        if all(getattr(kind, flag) == value for flag, value in flags.items())
    ]


def actor_names() -> set[str]:
    """Every actor a job message is sent to."""
    return {route.actor for kind in KINDS.values() for route in kind.routes()}


def queues() -> list[str]:
    """Every queue a job message is sent to, in registration order."""
    return list(dict.fromkeys(route.queue for kind in KINDS.values() for route in kind.routes()))


def for_pages() -> dict[str, dict]:
    """What the pages' script needs to know of each kind (served by ``base.html``)."""
    return {
        kind.name: {
            "label": kind.label,
            "short_label": kind.short_label,
            "has_children": kind.has_children,
            "holds_video_slot": kind.holds_video_slot,
            "subject": kind.subject,
            "routine": kind.routine,
        }
        for kind in KINDS.values()
    }
