"""Resource pools, nodes and queues over AIHC API v2's actions."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from itertools import islice
from typing import Any

from bot.aihc.errors import AihcError, AihcListTooLong, AihcNotFound, AihcUnavailable
from bot.aihc.operations import T, _page, _require, clamp_page_size
from bot.aihc.paging import MAX_ITEMS, collect
from bot.aihc.v2 import wire_pools as wire
from bot.aihc.v2.base import ActionsBase, Query
from bot.aihc.v2.convert_pools import (
    flatten,
    pool_from_v2,
    queue_from_v2,
    statistics_by_pool,
    with_gpus,
)
from bot.domain import Node, Page, Pool, Queue, QueueRef, QueueSpec

POOL_TYPES = ("common", "dedicatedV2", "bhcmp")
"""Every `resourcePoolType` Go names (services/aihc/v2/api/resourcepool.go:61-65)."""

logger = logging.getLogger(__name__)

_OVERVIEW_BYTES = 8 << 20
"""The overview lists every node of every pool (with its pods): a job list's cap, not a pool's."""
_EPOCH = datetime.min.replace(tzinfo=UTC)
_POOL_ORDER: dict[str, Callable[[Pool], Any]] = {
    # v1's orderBy names (AIHC-NOTES §1, bot/simulator/routes_pools.py:14); ties broken by id.
    "createdAt": lambda p: (p.created_at or _EPOCH, p.id),
    "clusterName": lambda p: (p.name, p.id),
    "clusterID": lambda p: (p.id, p.id),
}


class PoolActions(ActionsBase):
    """Pools and queues: DescribeResourcePool(s), DescribeQueues; no nodes, no queue writes.

    Pools: DescribeResourcePools lists one `resourcePoolType` a call, so every type is read whole
    (pages of 100, at most `MAX_ITEMS` pools a type) and the types are merged, ordered here by
    v1's `orderBy`/`order` (newest first when asked nothing, as the simulator's v1 answers) and
    sliced into the page asked for. The service cannot order across types, so no order is sent
    (Python documents `createdAt`, resource_pool_client.py:43; Go sends `CreatedAt`,
    resourcepool.go:79) and a page here is never one server page; pools are few.

    Queues: DescribeQueues answers the tree under the root (Go services/aihc/v2/api/queue.go:30:
    paging does not apply to a self-operated pool's queues); it is read whole and flattened as
    v1's live answers list queues, without the root queue, which v2 does not list.

    GPUs: v2's pools carry none; DescribeResourcePoolOverview holds every pool's at once, so a
    pool read or a pool list makes one overview call more (`_gpus_by_pool`).
    """

    async def get_pool(self, pool_id: str) -> Pool:
        """Fetch one resource pool (see `convert_pools.pool_from_v2` for what v2 lacks)."""
        reply = await self._pool_action(
            "pool.get", "DescribeResourcePool", [("resourcePoolId", pool_id)]
        )
        pool = wire.PoolV2Payload.model_validate(reply.body)
        _require(pool.resource_pool_id, "a pool id")
        gpus = await self._gpus_by_pool()
        return with_gpus(pool_from_v2(pool), gpus.get(pool.resource_pool_id))

    async def list_pools(
        self,
        *,
        page_no: int = 1,
        page_size: int = 100,
        order_by: str | None = None,
        order: str | None = None,
    ) -> Page[Pool]:
        """Fetch one page of resource pools of every type (read whole, then sliced)."""
        key = _pool_order(order_by)
        pools = sorted(await self._every_pool(MAX_ITEMS), key=key, reverse=_descending(order))
        return _cut(pools, page_no, page_size)

    async def all_pools(self, *, limit: int = MAX_ITEMS) -> list[Pool]:
        """Fetch every resource pool, newest first; raise `AihcListTooLong` past `limit`."""
        pools = await self._every_pool(limit)
        return sorted(pools, key=_POOL_ORDER["createdAt"], reverse=True)

    async def _every_pool(self, limit: int) -> list[Pool]:
        """Read every type's pools whole; a pool listed under two types counts once."""
        found: dict[str, Pool] = {}
        for kind in POOL_TYPES:
            for pool in await collect(partial(self._pool_page, kind), limit=limit):
                found.setdefault(pool.id, pool)
            if len(found) > limit:
                raise AihcListTooLong(f"the list has more than {limit} entries", limit=limit)
        gpus = await self._gpus_by_pool() if found else {}
        return [with_gpus(pool, gpus.get(pool.id)) for pool in found.values()]

    async def _gpus_by_pool(self) -> dict[str, wire.PoolStatisticPayload]:
        """Read every pool's GPU figures in one call; none when the service will not say.

        A pool read never fails for its GPUs: a refused, failed or oversized overview leaves
        every pool's GPUs empty, as v2's pools alone give them.
        """
        try:
            reply = await self._pool_action(
                "pool.overview", "DescribeResourcePoolOverview", max_bytes=_OVERVIEW_BYTES
            )
        except AihcError as error:
            logger.warning(
                "pool GPU figures unavailable",
                extra={"operation": "pool.overview", "error": type(error).__name__},
            )
            return {}
        return statistics_by_pool(wire.OverviewPayload.model_validate(reply.body))

    async def _pool_page(self, kind: str, page_no: int, page_size: int) -> Page[Pool]:
        query: Query = [
            ("resourcePoolType", kind),
            ("pageNumber", page_no),
            ("pageSize", page_size),
        ]
        reply = await self._pool_action("pool.list", "DescribeResourcePools", query)
        payload = wire.PoolListV2Payload.model_validate(reply.body)
        items = tuple(pool_from_v2(p) for p in payload.resource_pools if p.resource_pool_id)
        return _page(items, payload.total_count, page_no, page_size, len(payload.resource_pools))

    # Nodes and queue writes: v2 has no action for them (`bot.domain.V1_ONLY`).

    async def list_nodes(
        self, pool_id: str, *, page_no: int = 1, page_size: int = 100
    ) -> Page[Node]:
        """Refuse: v2 has no node list; nothing is sent."""
        raise AihcUnavailable("pool.nodes", self.api_version)

    async def all_nodes(self, pool_id: str, *, limit: int = MAX_ITEMS) -> list[Node]:
        """Refuse: v2 has no node list; nothing is sent."""
        raise AihcUnavailable("pool.nodes", self.api_version)

    async def create_queue(self, pool_id: str, spec: QueueSpec) -> QueueRef:
        """Refuse: v2 cannot create a queue; nothing is sent."""
        raise AihcUnavailable("queue.create", self.api_version)

    async def update_queue(self, pool_id: str, spec: QueueSpec) -> QueueRef:
        """Refuse: v2 cannot change a queue; nothing is sent."""
        raise AihcUnavailable("queue.update", self.api_version)

    async def delete_queue(self, pool_id: str, name: str) -> QueueRef:
        """Refuse: v2 cannot delete a queue; nothing is sent."""
        raise AihcUnavailable("queue.delete", self.api_version)

    # Queues

    async def list_queues(
        self, pool_id: str, *, page_no: int = 1, page_size: int = 100, order: str | None = None
    ) -> Page[Queue]:
        """Fetch one page of a pool's queues: the whole tree read, flattened, then sliced.

        Ordered by creation time when `order` is given (Go: v2 ignores `orderBy`, queue.go:26),
        else in the tree's order, each parent before its children.
        """
        queues = await self._every_queue(pool_id, MAX_ITEMS)
        if order:
            queues.sort(key=lambda q: q.created_at or _EPOCH, reverse=_descending(order))
        return _cut(queues, page_no, page_size)

    async def all_queues(self, pool_id: str, *, limit: int = MAX_ITEMS) -> list[Queue]:
        """Fetch every queue of a pool; raise `AihcListTooLong` past `limit`."""
        return await self._every_queue(pool_id, limit)

    async def get_queue(self, pool_id: str, name: str) -> Queue:
        """Fetch one queue, found by its name in the pool's tree.

        DescribeQueue takes a `queueId` alone, and how the live service forms a self-operated
        pool's queue ids is documented nowhere (Python resource_pool_client.py:212-241, Go
        services/aihc/v2/queue/client.go:27-43); a name is certain. So DescribeQueues is asked
        for the queues whose names hold `name` (`keyword`) and the exact name is picked from
        the answer's trees; should the service read `keyword` otherwise and miss it, the whole
        tree is read once more before the queue counts as not found.
        """
        request_id = ""
        for keyword in (name, None):
            tops, request_id = await self._queue_tops(pool_id, MAX_ITEMS, keyword)
            found = next((q for q in flatten(tops) if q.name == name), None)
            if found is not None:
                return found
        message = f"queue {name} not found in resource pool {pool_id}"
        raise AihcNotFound(status=404, code="QueueNotFound", message=message, request_id=request_id)

    async def _every_queue(self, pool_id: str, limit: int) -> list[Queue]:
        tops, _ = await self._queue_tops(pool_id, limit, None)
        queues = list(islice(flatten(tops), limit + 1))
        if len(queues) > limit:
            raise AihcListTooLong(f"the list has more than {limit} entries", limit=limit)
        return queues

    async def _queue_tops(
        self, pool_id: str, limit: int, keyword: str | None
    ) -> tuple[list[Queue], str]:
        """Read the tops of a pool's queue tree (pages of 100, should the service page them)."""
        request_ids: list[str] = []

        async def page(page_no: int, page_size: int) -> Page[Queue]:
            query: Query = [
                ("resourcePoolId", pool_id),
                ("keyword", keyword),
                ("pageNumber", page_no),
                ("pageSize", page_size),
            ]
            reply = await self._pool_action("queue.list", "DescribeQueues", query)
            request_ids.append(reply.request_id)
            payload = wire.QueueListV2Payload.model_validate(reply.body)
            items = tuple(queue_from_v2(q, pool_id=pool_id) for q in payload.queues if q.queue_name)
            return _page(items, payload.total_count, page_no, page_size, len(payload.queues))

        tops = await collect(page, limit=limit)
        return tops, request_ids[-1] if request_ids else ""


def _cut(whole: list[T], page_no: int, page_size: int) -> Page[T]:
    """Return page `page_no` of a list read whole."""
    size = clamp_page_size(page_size)
    chosen = tuple(whole[(page_no - 1) * size : page_no * size])
    return _page(chosen, len(whole), page_no, size, len(chosen))


def _pool_order(order_by: str | None) -> Callable[[Pool], Any]:
    key = _POOL_ORDER.get(order_by or "createdAt")
    if key is None:
        raise AihcError(f"pools are ordered by {', '.join(_POOL_ORDER)}, not {order_by!r}")
    return key


def _descending(order: str | None) -> bool:
    # v1's default, as the service orders when asked nothing (bot/simulator/params.py:47-52).
    return (order or "desc").strip().lower() != "asc"
