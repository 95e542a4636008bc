"""Resource pools, nodes and queues over AIHC API v2's actions."""

from __future__ import annotations

from bot.aihc.v2.base import ActionsBase


class PoolActions(ActionsBase):
    """Pools and queues: DescribeResourcePool(s), DescribeQueue(s); no nodes, no queue writes."""
