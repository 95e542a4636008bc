"""Pools and queues read through AIHC API v2 come out as v1 gives them, from one simulator."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from bot.aihc.errors import AihcListTooLong, AihcNotFound, AihcUnavailable
from bot.domain import ROOT_QUEUE_NAME, V1_ONLY, Pool, Queue, QueueSpec
from tests.aihc.v2_both import Both, both
from tests.managed import MANAGED, add_managed_pool

V2_LACKS = {"cprom_ids": ()}
"""The pool fields v2 has no counterpart for (`convert_pools.pool_from_v2`): CProm ids."""
GPU_FIELDS = {"gpu_total": 0, "gpu_used": 0, "node_used": 0, "gpu_details": ()}
"""What DescribeResourcePoolOverview adds to a pool, empty when it does not say."""


@dataclass
class OverviewRefused:
    """Answers the overview as BCE answers an action the account may not call; counts them."""

    refused: int = 0

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Refuse DescribeResourcePoolOverview with 403; pass every other call on."""
        if request.query.get("action") != "DescribeResourcePoolOverview":
            return await handler(request)
        self.refused += 1
        body = {"requestId": "r-1", "code": "AccessDenied", "message": "Access denied."}
        return web.json_response(body, status=403)


def live(outer: Sequence[Middleware] = (), **overrides: Any) -> AbstractAsyncContextManager[Both]:
    """Both clients on a simulator in live shapes (v1 nests queues there)."""
    return both(outer, **{"shapes": "live", **overrides})


def _as_v2_sees(pool: Pool) -> Pool:
    return pool.model_copy(update=V2_LACKS)


async def test_a_pool_reads_as_v1_reads_it_but_for_what_v2_does_not_say() -> None:
    async with live() as b:
        add_managed_pool(b.sim.running.simulator.world)
        for pool_id in b.sim.running.simulator.world.pools:
            v1 = await b.v1.get_pool(pool_id)
            b.forget_calls()
            v2 = await b.v2.get_pool(pool_id)
            assert b.calls() == {"v2:DescribeResourcePool": 1, "v2:DescribeResourcePoolOverview": 1}
            assert v2 == _as_v2_sees(v1)
            assert v2.node_total == v1.node_total > 0
            assert v2.pfs_id or pool_id == MANAGED
            assert v2.created_at is not None
            # Its GPUs too, by the resource name jobs request: what the job form offers.
            assert v2.gpu_total == v1.gpu_total > 0
            assert [d.descriptor for d in v2.gpu_details] == [
                b.sim.running.simulator.world.pools[pool_id].gpu_resource
            ]
        busy = await b.v2.get_pool(await _pool_named(b, "llm-a800-pool"))
        assert 0 < busy.gpu_used < busy.gpu_total
        assert 0 < busy.node_used < busy.node_total


async def test_a_pool_the_overview_is_refused_for_still_comes_without_its_gpus() -> None:
    refusal = OverviewRefused()
    async with live(outer=[refusal.middleware]) as b:
        pool_id = await _pool_named(b, "llm-a800-pool")
        v1 = await b.v1.get_pool(pool_id)
        pool = await b.v2.get_pool(pool_id)
        assert pool == v1.model_copy(update={**V2_LACKS, **GPU_FIELDS})
        assert refusal.refused == 1
        listed = await b.v2.all_pools()
        # Asked once, not once a pool, and not retried: a 403 is the caller's to fix.
        assert refusal.refused == 2
        assert [p.id for p in listed] == [p.id for p in await b.v1.all_pools()]
        assert all(p.gpu_details == () and p.gpu_total == 0 for p in listed)


async def test_a_missing_pool_is_not_found() -> None:
    async with live() as b:
        with pytest.raises(AihcNotFound):
            await b.v2.get_pool("cce-nosuchpool")


async def test_pools_of_every_type_come_as_one_list_ordered_and_paged_as_v1() -> None:
    async with live() as b:
        add_managed_pool(b.sim.running.simulator.world)  # a `dedicatedV2` pool in v2
        v1 = await b.v1.all_pools()
        b.forget_calls()
        v2 = await b.v2.all_pools()
        # common, dedicatedV2, bhcmp; then the GPUs of them all at once.
        assert b.calls() == {"v2:DescribeResourcePools": 3, "v2:DescribeResourcePoolOverview": 1}
        assert [p.id for p in v1] == [p.id for p in v2]
        assert MANAGED in {p.id for p in v2}
        assert v2 == [_as_v2_sees(p) for p in v1]
        for order_by, order in [(None, None), ("clusterName", "asc"), ("clusterID", "desc")]:
            for page_no in (1, 2, 3, 4):
                want = await b.v1.list_pools(
                    page_no=page_no, page_size=1, order_by=order_by, order=order
                )
                got = await b.v2.list_pools(
                    page_no=page_no, page_size=1, order_by=order_by, order=order
                )
                assert list(got.items) == [_as_v2_sees(p) for p in want.items]
                assert got.is_last == want.is_last
                assert got.total == want.total == len(v1)


async def test_more_pools_than_the_caller_may_walk_is_refused() -> None:
    async with live() as b:
        add_managed_pool(b.sim.running.simulator.world)
        with pytest.raises(AihcListTooLong):
            await b.v2.all_pools(limit=2)


def _flat(queues: list[Queue]) -> dict[str, Queue]:
    return {q.name: q for top in queues for q in top.family() if not q.is_root}


async def _grow_a_tree(b: Both, pool_id: str) -> None:
    """Nest a queue with a fractional CPU quota under a team queue, and close another."""
    gpu = (await b.v1.get_pool(pool_id)).gpu_details[0].descriptor
    quota = {"cpu": 0.5, "memory": 10, gpu: 2}
    spec = QueueSpec(name="llm-sft-small", parent_queue="llm-sft", deserved=quota, capability=quota)
    await b.v1.create_queue(pool_id, spec)
    b.sim.running.simulator.world.queues[pool_id]["eval"].state = "Closed"


async def _pool_named(b: Both, name: str) -> str:
    return next(p.id for p in await b.v1.all_pools() if p.name == name)


async def test_queues_read_as_v1_reads_them_nested_in_v1s_units() -> None:
    async with live() as b:
        pool_id = await _pool_named(b, "llm-a800-pool")
        await _grow_a_tree(b, pool_id)
        v1 = await b.v1.all_queues(pool_id)
        b.forget_calls()
        v2 = await b.v2.all_queues(pool_id)
        assert b.calls() == {"v2:DescribeQueues": 1}
        # v2 does not list the root queue; everything else is v1's, children nested the same.
        assert any(q.is_root for q in v1)
        assert not any(q.is_root for q in v2)
        assert _flat(v2) == _flat(v1)
        small = _flat(v2)["llm-sft-small"]
        assert small.parent == "llm-sft"
        assert small.deserved["cpu"] == "0.5"
        assert small.deserved["memory"] == "10"
        assert small in _flat(v2)["llm-sft"].children
        assert _flat(v2)["eval"].state == "Closed"
        assert _flat(v2)["default"].parent == ROOT_QUEUE_NAME
        # Every queue is listed at the top level once, as v1's live answers list them.
        assert sorted(q.name for q in v2) == sorted(_flat(v1))


async def test_a_queue_list_is_paged_from_the_tree_read_whole() -> None:
    async with live() as b:
        pool_id = await _pool_named(b, "llm-a800-pool")
        await _grow_a_tree(b, pool_id)
        every = await b.v2.all_queues(pool_id)
        pages = [await b.v2.list_queues(pool_id, page_no=n, page_size=2) for n in (1, 2, 3, 4)]
        assert [q for page in pages for q in page.items] == every
        assert [page.is_last for page in pages] == [False, False, False, True]
        oldest = await b.v2.list_queues(pool_id, order="asc")
        created = [q.created_at for q in oldest.items]
        assert created == sorted(created)
        with pytest.raises(AihcListTooLong):
            await b.v2.all_queues(pool_id, limit=5)


async def test_a_queue_is_found_by_its_exact_name_wherever_it_nests() -> None:
    async with live() as b:
        pool_id = await _pool_named(b, "llm-a800-pool")
        await _grow_a_tree(b, pool_id)
        for name in ("llm-sft", "llm-sft-small", "default", "eval"):
            b.forget_calls()
            assert await b.v2.get_queue(pool_id, name) == await b.v1.get_queue(pool_id, name)
            assert b.calls() == {"v2:DescribeQueues": 1, "get_queue": 1}


async def test_a_name_that_only_part_of_other_names_holds_is_not_a_queue() -> None:
    async with live() as b:
        pool_id = await _pool_named(b, "llm-a800-pool")
        b.forget_calls()
        with pytest.raises(AihcNotFound):
            await b.v2.get_queue(pool_id, "llm")
        # The keyword's answer, then the whole tree, in case the service reads `keyword` otherwise.
        assert b.calls() == {"v2:DescribeQueues": 2}


async def test_what_v2_cannot_do_is_refused_without_a_call() -> None:
    async with live() as b:
        pool_id = await _pool_named(b, "llm-a800-pool")
        spec = QueueSpec(name="new", deserved={"cpu": 1})
        b.forget_calls()
        refused = []
        calls: list[Callable[[], Awaitable[object]]] = [
            lambda: b.v2.list_nodes(pool_id),
            lambda: b.v2.all_nodes(pool_id),
            lambda: b.v2.create_queue(pool_id, spec),
            lambda: b.v2.update_queue(pool_id, spec),
            lambda: b.v2.delete_queue(pool_id, "default"),
        ]
        for call in calls:
            with pytest.raises(AihcUnavailable) as caught:
                await call()
            assert str(caught.value).endswith("is not available in AIHC API v2")
            refused.append(caught.value.operation)
        assert set(refused) == V1_ONLY
        assert b.calls() == {}
        assert "new" not in b.sim.running.simulator.world.queues[pool_id]
