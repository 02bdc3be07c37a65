"""What the broker holds: message counts per queue, and the jobs that have a message.

The broker's Redis keys are the truth for messages. The Redis broker keeps, under its
namespace ``ns``:

- ``ns:<queue>``: a list of message ids waiting for a worker;
- ``ns:<queue>.msgs``: a hash of every message not yet acknowledged (waiting, prefetched by
  a worker, or running);
- ``ns:<queue>.DQ.msgs``: the same for delayed messages (retries, deferred downloads);
- ``ns:<queue>.XQ``: a sorted set of dead-lettered message ids.
"""

from __future__ import annotations

import dramatiq
from dramatiq.common import dq_name, xq_name

from jobs import kinds


def job_queues() -> list[str]:
    """The queues job messages go to (see :mod:`jobs.kinds`)."""
    return kinds.queues()


def queue_depths() -> dict[str, dict[str, int]]:
    """``{queue: {"waiting", "taken", "delayed", "dead"}}`` message counts.

    ``waiting``: no worker has it yet; ``taken``: prefetched or running in a worker;
    ``delayed``: due later (a retry's backoff, a download deferred for a busy site);
    ``dead``: dead-lettered (an actor raised), kept a day for inspection.
    """
    broker = dramatiq.get_broker()
    ns = broker.namespace
    pipe = broker.client.pipeline(transaction=False)
    queues = job_queues()
    for queue in queues:
        pipe.llen(f"{ns}:{queue}")
        pipe.hlen(f"{ns}:{queue}.msgs")
        pipe.hlen(f"{ns}:{dq_name(queue)}.msgs")
        pipe.zcard(f"{ns}:{xq_name(queue)}")
    values = pipe.execute()
    depths = {}
    for index, queue in enumerate(queues):
        waiting, unacked, delayed, dead = values[4 * index : 4 * index + 4]
        depths[queue] = {
            "waiting": int(waiting),
            "taken": max(int(unacked) - int(waiting), 0),
            "delayed": int(delayed),
            "dead": int(dead),
        }
    return depths


def job_ids_with_messages() -> set[int]:
    """Ids of the jobs that have a message in the broker (waiting, taken or delayed)."""
    broker = dramatiq.get_broker()
    ns = broker.namespace
    found: set[int] = set()
    job_actors = kinds.actor_names()
    for queue in job_queues():
        for key in (f"{ns}:{queue}.msgs", f"{ns}:{dq_name(queue)}.msgs"):
            for _, data in broker.client.hscan_iter(key, count=500):
                try:
                    message = dramatiq.Message.decode(data)
                except Exception:  # a message we cannot read is not one of ours
                    continue
                if message.actor_name in job_actors and message.args:
                    found.add(int(message.args[0]))
    return found
