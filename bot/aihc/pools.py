"""Resource pool, node and queue operations (1-8 of the API document)."""

from __future__ import annotations

from bot.aihc import convert, wire
from bot.aihc.errors import AihcNotFound
from bot.aihc.operations import API, OperationsBase, _page, _require, clamp_page_size
from bot.aihc.paging import MAX_ITEMS, collect
from bot.aihc.retry import Safety
from bot.aihc.transport import Answer, build_path, result_of
from bot.domain import (
    Node,
    Page,
    Pool,
    Queue,
    QueueRef,
    QueueSpec,
)


def _queue_ref(reply: Answer, fallback: str) -> QueueRef:
    name = wire.QueueNamePayload.model_validate(result_of(reply)).queue_name
    return QueueRef(name=name or fallback, request_id=reply.request_id)


class PoolOperations(OperationsBase):
    """Pools, nodes and queues."""

    async def get_pool(self, pool_id: str) -> Pool:
        """Fetch one resource pool."""
        reply = await self._get("pool.get", ("resourcepools", pool_id))
        pool = wire.PoolDetailPayload.model_validate(result_of(reply)).resource_pool
        _require(pool.metadata.id, "a pool id")
        return convert.pool_from_wire(pool)

    async def list_pools(
        self,
        *,
        page_no: int = 1,
        page_size: int = 100,
        order_by: str | None = None,
        order: str | None = None,
    ) -> Page[Pool]:
        """Fetch one page of resource pools."""
        params = [
            ("orderBy", order_by),
            ("order", order),
            ("pageNo", page_no),
            ("pageSize", clamp_page_size(page_size)),
        ]
        reply = await self._get("pool.list", ("resourcepools",), params)
        payload = wire.PoolListPayload.model_validate(result_of(reply))
        items = tuple(convert.pool_from_wire(p) for p in payload.resource_pools if p.metadata.id)
        return _page(items, payload.total, page_no, page_size, len(payload.resource_pools))

    async def list_nodes(
        self, pool_id: str, *, page_no: int = 1, page_size: int = 100
    ) -> Page[Node]:
        """Fetch one page of a pool's nodes."""
        params = [("pageNo", page_no), ("pageSize", clamp_page_size(page_size))]
        reply = await self._get("pool.nodes", ("resourcepools", pool_id, "nodes"), params)
        payload = wire.NodeListPayload.model_validate(result_of(reply))
        items = tuple(convert.node_from_wire(n) for n in payload.nodes)
        return _page(items, payload.total, page_no, page_size, len(payload.nodes))

    # Queues

    async def create_queue(self, pool_id: str, spec: QueueSpec) -> QueueRef:
        """Create a queue and return its name."""
        reply = await self._transport.send(
            "queue.create",
            "POST",
            build_path(*API, "resourcepools", pool_id, "queue"),
            body=convert.queue_body(spec, include_name=True),
            safety=Safety.UNSAFE,
        )
        return _queue_ref(reply, spec.name)

    async def list_queues(
        self, pool_id: str, *, page_no: int = 1, page_size: int = 100, order: str | None = None
    ) -> Page[Queue]:
        """Fetch one page of a pool's queues (the root queue included; renderers hide it)."""
        params = [
            ("orderBy", "createdTime" if order else None),
            ("order", order),
            ("pageNo", page_no),
            ("pageSize", clamp_page_size(page_size)),
        ]
        reply = await self._get("queue.list", ("resourcepools", pool_id, "queue"), params)
        payload = wire.QueueListPayload.model_validate(result_of(reply))
        items = tuple(convert.queue_from_wire(q, pool_id=pool_id) for q in payload.queues if q.name)
        return _page(items, payload.total, page_no, page_size, len(payload.queues))

    async def get_queue(self, pool_id: str, name: str) -> Queue:
        """Fetch one queue."""
        reply = await self._get("queue.get", ("resourcepools", pool_id, "queue", name))
        queue = wire.QueueDetailPayload.model_validate(result_of(reply)).queue
        _require(queue.name, "a queue name")
        return convert.queue_from_wire(queue, pool_id=pool_id)

    async def update_queue(self, pool_id: str, spec: QueueSpec) -> QueueRef:
        """Change a queue's quotas and switches; return its name."""
        reply = await self._transport.send(
            "queue.update",
            "PUT",
            build_path(*API, "resourcepools", pool_id, "queue", spec.name),
            body=convert.queue_body(spec, include_name=False),
            safety=Safety.IDEMPOTENT,
        )
        return _queue_ref(reply, spec.name)

    async def delete_queue(self, pool_id: str, name: str) -> QueueRef:
        """Delete a queue; a queue already gone after a retried attempt counts as deleted."""
        try:
            reply = await self._transport.send(
                "queue.delete",
                "DELETE",
                build_path(*API, "resourcepools", pool_id, "queue", name),
                safety=Safety.IDEMPOTENT,
            )
        except AihcNotFound as error:
            if error.attempts > 1:
                return QueueRef(name=name, request_id=error.request_id)
            raise
        return _queue_ref(reply, name)

    # Every page

    async def all_pools(self, *, limit: int = MAX_ITEMS) -> list[Pool]:
        """Fetch every resource pool; raise `AihcListTooLong` past `limit`."""
        return await collect(
            lambda no, size: self.list_pools(page_no=no, page_size=size), limit=limit
        )

    async def all_nodes(self, pool_id: str, *, limit: int = MAX_ITEMS) -> list[Node]:
        """Fetch every node of a pool; raise `AihcListTooLong` past `limit`."""
        return await collect(
            lambda no, size: self.list_nodes(pool_id, page_no=no, page_size=size), limit=limit
        )

    async def all_queues(self, pool_id: str, *, limit: int = MAX_ITEMS) -> list[Queue]:
        """Fetch every queue of a pool; raise `AihcListTooLong` past `limit`."""
        return await collect(
            lambda no, size: self.list_queues(pool_id, page_no=no, page_size=size), limit=limit
        )
