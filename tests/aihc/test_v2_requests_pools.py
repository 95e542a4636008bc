"""Our v2 pool and queue reads send what Baidu's own v2 client sends for the same question."""

from __future__ import annotations

from bot.aihc.v2.pools import POOL_TYPES
from tests.aihc.v2_requests import Twins, twins


def _a_pool(t: Twins) -> str:
    return next(iter(t.baidu.running.simulator.world.pools))


async def test_a_pool_list_asks_each_type_as_baidus_client_asks_for_a_page_of_100() -> None:
    async with twins() as t:
        t.recorder.sent.clear()
        await t.ours.list_pools()
        ours = list(t.recorder.sent)
        # One call a type where Baidu's client asks for one type a call (resourcePoolType is
        # required, resource_pool_client.py:56-59): ours must equal Baidu's call for each type;
        # then the GPUs of every pool in one overview.
        baidus = [
            await t.baidu_sends(
                t.baidu.client.DescribeResourcePools, kind, pageNumber=1, pageSize=100
            )
            for kind in POOL_TYPES
        ]
        baidus.append(await t.baidu_sends(t.baidu.client.DescribeResourcePoolOverview))
        assert ours == baidus


async def test_a_pool_detail_is_asked_as_baidus_client_asks_it_then_its_gpus() -> None:
    async with twins() as t:
        pool_id = _a_pool(t)
        t.recorder.sent.clear()
        await t.ours.get_pool(pool_id)
        ours = list(t.recorder.sent)
        baidus = [
            await t.baidu_sends(t.baidu.client.DescribeResourcePool, pool_id),
            await t.baidu_sends(t.baidu.client.DescribeResourcePoolOverview),
        ]
        assert ours == baidus


async def test_a_queue_list_is_asked_as_baidus_client_asks_for_a_page_of_100() -> None:
    async with twins() as t:
        pool_id = _a_pool(t)
        ours = await t.we_send(t.ours.all_queues(pool_id))
        baidus = await t.baidu_sends(
            t.baidu.client.DescribeQueues, pool_id, pageNumber=1, pageSize=100
        )
        assert ours == baidus


async def test_a_queue_is_looked_up_as_baidus_client_searches_queues_by_keyword() -> None:
    async with twins() as t:
        pool_id = _a_pool(t)
        # Not DescribeQueue: its `queueId` for a self-operated pool is documented nowhere.
        ours = await t.we_send(t.ours.get_queue(pool_id, "default"))
        baidus = await t.baidu_sends(
            t.baidu.client.DescribeQueues, pool_id, keyword="default", pageNumber=1, pageSize=100
        )
        assert ours == baidus
