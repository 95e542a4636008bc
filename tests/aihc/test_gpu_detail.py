"""The GPU resource name comes from the pool's `status.gpuDetail` (Go resourcePool.go:57,69-73)."""

from __future__ import annotations

from bot.aihc import wire
from bot.aihc.convert import pool_from_wire
from bot.domain import GpuDetail, Pool, Queue
from bot.slack.commands.forms import gpu_resource
from bot.slack.modals import gpu_resources


def _pool(status: object) -> Pool:
    payload = wire.PoolPayload.model_validate({"metadata": {"id": "cce-1"}, "status": status})
    return pool_from_wire(payload)


def test_gpu_detail_is_read_and_tolerated_when_odd_or_absent() -> None:
    pool = _pool(
        {
            "gpuDetail": [
                {"gpuDescriptor": "baidu.com/a800_80g_cgpu", "total": "16", "used": 8},
                {"gpuDescriptor": "  ", "total": 4},
                "not an object",
            ]
        }
    )
    assert pool.gpu_details == (GpuDetail(descriptor="baidu.com/a800_80g_cgpu", total=16, used=8),)
    assert _pool({"gpuDetail": None}).gpu_details == ()
    assert _pool({}).gpu_details == ()


def test_the_most_plentiful_gpu_names_quotas_and_a_bare_descriptor_gets_its_full_name() -> None:
    details = (
        GpuDetail(descriptor="h800_80g_cgpu", total=8),
        GpuDetail(descriptor="a800", total=64),
    )
    quota = Queue(name="q", deserved={"vendor.io/h800_80g_cgpu": "8"})
    pool = Pool(id="cce-1", gpu_details=details)
    assert gpu_resources(pool, [quota]) == ["baidu.com/a800", "vendor.io/h800_80g_cgpu"]
    assert gpu_resource(pool, [quota]) == "baidu.com/a800"


def test_without_gpu_detail_the_queues_are_the_guess_and_then_the_default() -> None:
    pool = Pool(id="cce-1")
    quota = Queue(name="q", capability={"baidu.com/l20_cgpu": "8", "cpu": "8"})
    assert gpu_resource(pool, [quota]) == "baidu.com/l20_cgpu"
    assert gpu_resource(pool, []) == "baidu.com/gpu"
