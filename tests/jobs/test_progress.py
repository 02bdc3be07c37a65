"""Progress reaches Redis and the channel groups, in order."""

import asyncio
import threading

from channels.layers import get_channel_layer

from jobs import live
from jobs.services import download_submit
from tests.jobs.conftest import wait_for_job
from tests.support import wait_until


class GroupListener:
    """Listens to channel-layer groups in a thread of its own until told to stop."""

    def __init__(self, *groups: str) -> None:
        self.groups = groups
        self.messages: list[dict] = []
        self.ready = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._listen()), daemon=True)

    def __enter__(self) -> "GroupListener":
        self._thread.start()
        assert self.ready.wait(10), "could not join the channel groups"
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(10)

    async def _listen(self) -> None:
        layer = get_channel_layer()
        channel = await layer.new_channel()
        for group in self.groups:
            await layer.group_add(group, channel)
        self.ready.set()
        while not self._stop.is_set():
            try:
                message = await asyncio.wait_for(layer.receive(channel), timeout=0.5)
            except TimeoutError:
                continue
            self.messages.append(message)


def test_progress_goes_to_redis_and_to_the_groups_with_a_growing_seq(
    worker, alice, make_video, redis_client
):
    video = make_video(clip="slow/150000/clips/720p.mp4", title="Watched")
    with GroupListener(f"user.{alice.pk}") as listener:
        job, _ = download_submit(video=video, user=alice)

        def live_progress() -> bool:
            figures = live.read_live([job.pk])[job.pk]
            return 0 < figures.get("progress", 0) < 100

        wait_until(live_progress, timeout=30, message="no live progress appeared in Redis")
        assert redis_client.ttl(f"mvidarr:job:{job.pk}:live") > 0
        wait_for_job(job)
        wait_until(
            lambda: any(
                m["job"]["status"] == "completed"
                for m in listener.messages
                if m["job"]["id"] == job.pk
            ),
            timeout=10,
        )
    received = [m["job"] for m in listener.messages if m["job"]["id"] == job.pk]
    seqs = [u["seq"] for u in received]
    assert len(seqs) == len(set(seqs))  # every update has a seq of its own
    # A page keeps the newest it has seen (threads of a busy worker may publish two updates
    # out of order): what it keeps grows in seq and in progress, and ends with the end.
    updates, newest = [], 0
    for update in received:
        if update["seq"] > newest:
            updates.append(update)
            newest = update["seq"]
    assert len(updates) >= 4
    progresses = [u["progress"] for u in updates]
    assert progresses == sorted(progresses)
    assert any(0 < p < 100 for p in progresses)
    assert any(u["speed"] for u in updates)
    final = updates[-1]
    assert (final["status"], final["progress"], final["video"]["status"]) == (
        "completed",
        100.0,
        "downloaded",
    )
