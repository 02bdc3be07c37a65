"""The live job feed at ``/ws/jobs/``: a snapshot on connect, then every change.

Order matters: the consumer joins its group *before* it reads the snapshot, so a change
made while the snapshot is read is delivered after it (Channels dispatches one message at
a time, and the group holds what arrives meanwhile). The page drops anything whose ``seq``
is older than what it shows, so a change seen twice is harmless and none is lost.
"""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from jobs.progress import feed_group
from jobs.selectors import job_representations, recent_jobs_for


class JobsConsumer(AsyncJsonWebsocketConsumer):
    """Sends ``{"type": "snapshot", "jobs": [...]}`` then ``{"type": "job", "job": {...}}``."""

    feed: str | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close()  # before accept: the handshake is refused
            return
        self.feed = feed_group(user)
        await self.channel_layer.group_add(self.feed, self.channel_name)
        await self.accept()
        jobs = await self.read_snapshot(user)
        await self.send_json({"type": "snapshot", "jobs": jobs})

    async def read_snapshot(self, user) -> list[dict]:
        """The user's active and recent jobs (a seam tests override to change things mid-way)."""
        return await database_sync_to_async(_snapshot)(user)

    async def disconnect(self, code: int) -> None:
        if self.feed is not None:
            await self.channel_layer.group_discard(self.feed, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        """The feed is one-way: whatever a page sends is ignored."""

    async def job_update(self, event: dict) -> None:
        await self.send_json({"type": "job", "job": event["job"]})


def _snapshot(user) -> list[dict]:
    return job_representations(recent_jobs_for(user))
