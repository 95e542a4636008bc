"""A managed pool (`aihc-serverless`) in a simulator world: its jobs are reached through queues."""

from __future__ import annotations

from bot.simulator.factory import base_queues, make_pool, team_queue
from bot.simulator.world import World

MANAGED = "aihc-serverless"
QUEUE = "team-queue"
OTHER_QUEUE = "other-queue"


def add_managed_pool(world: World) -> None:
    """Add the managed pool with two team queues besides `default` and the root."""
    pool = make_pool(world.rng, name="serverless", nodes=2, gpu="a800", created_at=0.0, busy=0)
    pool.id = MANAGED
    queues = base_queues(pool, 0.0)
    queues += [team_queue(pool, QUEUE, 5.0, 8), team_queue(pool, OTHER_QUEUE, 6.0, 8)]
    world.add_pool(pool, queues)
