"""v2 pool and queue answers with odd values: what can be read is kept, the rest left unsaid."""

from __future__ import annotations

from bot.aihc.v2 import wire_pools
from bot.aihc.v2.convert_pools import queue_from_v2, statistics_by_pool, with_gpus
from bot.domain import ROOT_QUEUE_NAME, GpuDetail, Pool


def test_a_queue_answer_with_odd_values_keeps_what_it_can() -> None:
    payload = wire_pools.QueueV2Payload.model_validate(
        {
            "queueName": "q",
            "parentQueue": "root",
            "deserved": {
                "milliCPUcores": "1500",
                "memoryGi": "nope",
                "acceleratorCardList": [
                    {"acceleratorType": "baidu.com/a800_80g_cgpu", "acceleratorCount": "8"},
                    {"acceleratorType": "", "acceleratorCount": "1"},
                    {"acceleratorType": "x", "acceleratorCount": "1e999999999"},
                    "junk",
                ],
            },
            "capability": {"milliCPUcores": "NaN"},
            "children": [{"queueName": "c", "parentQueue": "q", "opened": True}, {"x": 1}],
        }
    )
    queue = queue_from_v2(payload, pool_id="cce-1")
    assert queue.parent == ROOT_QUEUE_NAME
    assert queue.deserved == {"cpu": "1.5", "baidu.com/a800_80g_cgpu": "8"}
    assert queue.capability == {}
    assert queue.state == ""  # `opened` not said: neither Open nor Closed
    assert (queue.running, queue.inqueue, queue.pending) == (0, 0, 0)  # Go omits zero counts
    assert [(c.name, c.state, c.pool_id) for c in queue.children] == [("c", "Open", "cce-1")]


def test_an_overview_with_odd_values_keeps_what_it_can() -> None:
    a800 = "baidu.com/a800_80g_cgpu"
    payload = wire_pools.OverviewPayload.model_validate(
        {
            "resourcePoolsStatisticWithType": [
                {
                    "type": "common",
                    "resourcePoolStatistics": [
                        {
                            "resourcePoolId": "cce-1",
                            "acceleratorsStatistic": {"capacity": 24.0, "allocated": "8"},
                            "nodeResourceStatistic": {
                                "10.0.0.1": {
                                    "accleratorDescriptor": f" {a800} ",
                                    "capacity": {"gpuNum": 8},
                                    "allocated": {"gpuNum": 8},
                                },
                                # Go leaves out what is 0: nothing allocated.
                                "10.0.0.2": {
                                    "accleratorDescriptor": a800,
                                    "capacity": {"gpuNum": 8},
                                },
                                "10.0.0.3": {"capacity": {"milliCPUcores": 96000}},  # no GPUs
                                "10.0.0.4": "junk",
                            },
                        },
                        {"resourcePoolId": "cce-2", "acceleratorsStatistic": {"capacity": "NaN"}},
                        {
                            "resourcePoolId": "cce-3",
                            "acceleratorsStatistic": {"capacity": 1e300, "allocated": -1},
                            "nodeResourceStatistic": {"n": {"capacity": {"gpuNum": 4}}},
                        },
                        "junk",
                    ],
                },
                "junk",
            ]
        }
    )
    found = statistics_by_pool(payload)
    pool = with_gpus(Pool(id="cce-1"), found.get("cce-1"))
    # The pool's own totals stand; the per-type figures are the nodes'.
    assert (pool.gpu_total, pool.gpu_used, pool.node_used) == (24, 8, 1)
    assert pool.gpu_details == (GpuDetail(descriptor=a800, total=16, used=8),)
    assert with_gpus(Pool(id="cce-2"), found.get("cce-2")) == Pool(id="cce-2")
    # Figures no pool can have read as unsaid: the nodes' sums stand in.
    assert with_gpus(Pool(id="cce-3"), found.get("cce-3")).gpu_total == 4
    # A pool the overview leaves out keeps its GPUs empty.
    assert with_gpus(Pool(id="cce-4"), found.get("cce-4")) == Pool(id="cce-4")
