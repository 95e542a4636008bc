"""What forms and commands put on the wire, as the simulator (standing in for AIHC) received it.

Fault-tolerance keys are Go's (`api/v1/aiJob.go:213-218`); queue memory is GiB, as the v1
document's examples send it (`memory` 20/10/6) and read it back (`"10"`).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.slack.ids import CallbackId
from tests.slack.actions_kit import ADMIN, OPERATOR, admin_stack, seen
from tests.slack.harness import Stack
from tests.slack.test_modals import open_form, submit

POOL = "llm-a800-pool"


@pytest.fixture
async def stack(tmp_path: Path, database_url: str) -> AsyncIterator[Stack]:
    """The bot with an admin (U0009) and an operator (U0007)."""
    async with admin_stack(tmp_path, database_url=database_url) as running:
        await running.ask(f"role grant <@{OPERATOR}> operator", user=ADMIN)
        yield running


def _pool_id(stack: Stack) -> str:
    world = stack.sim.simulator.world
    return next(p.id for p in world.pools.values() if p.name == POOL)


async def test_hang_detection_and_a_restart_limit_reach_aihc_with_gos_keys(stack: Stack) -> None:
    spec = {
        "name": "ft-job",
        "image": "img:1",
        "command": "python train.py",
        "pool": POOL,
        "hang_detection": True,
        "hang_minutes": 30,
        "restart_limit": 3,
        "fault_patterns": ["NCCL timeout", "Xid 79"],
    }
    answer = await stack.ask(f"job create {json.dumps(spec)}", user=OPERATOR)
    assert "created job" in seen(answer)
    [job] = [j for j in stack.sim.simulator.world.jobs.values() if j.name == "ft-job"]
    assert job.fault_tolerance is True
    assert job.fault_tolerance_config == {
        "enabledHangDetection": True,
        "hangDetectionTimeoutMinutes": 30,
        "faultToleranceLimit": 3,
        "customFaultTolerancePattern": ["NCCL timeout", "Xid 79"],
    }


async def test_queue_memory_from_flags_reaches_aihc_in_gib(stack: Stack) -> None:
    answer = await stack.ask(
        f"queue create team-m --pool {POOL} --deserved memory=16,cpu=8", user=ADMIN
    )
    assert "created queue" in seen(answer)
    queue = stack.sim.simulator.world.queues[_pool_id(stack)]["team-m"]
    assert queue.deserved["memory"] == "16"
    assert "16 GiB" in seen(await stack.ask(f"queue show team-m --pool {POOL}"))


async def test_the_update_form_shows_gib_and_resubmitted_unchanged_keeps_them(
    stack: Stack,
) -> None:
    queue = stack.sim.simulator.world.queues[_pool_id(stack)]["llm-sft"]
    queue.deserved = {**queue.deserved, "memory": "10"}
    view = await open_form(
        stack, f"queue update llm-sft --pool {POOL}", CallbackId.QUEUE_UPDATE, user=ADMIN
    )
    [block] = [b for b in view.view["blocks"] if b.get("block_id") == "deserved_memory"]
    assert block["element"]["initial_value"] == "10"
    initial = {
        b["block_id"]: b["element"]["initial_value"]
        for b in view.view["blocks"]
        if "initial_value" in b.get("element", {})
    }
    assert await submit(stack, view, initial, user=ADMIN) is None
    await stack.slack.wait_for(
        lambda: [e for e in stack.slack.ephemerals(user=ADMIN) if "updated queue" in e.text],
        timeout=15,
        what="the update notice",
    )
    assert queue.deserved["memory"] == "10"


@pytest.fixture
async def live_stack(tmp_path: Path, database_url: str) -> AsyncIterator[Stack]:
    """`stack` with the simulator in live shapes: pools carry `gpuDetail` only there."""
    async with admin_stack(tmp_path, database_url=database_url, shapes="live") as running:
        await running.ask(f"role grant <@{OPERATOR}> operator", user=ADMIN)
        yield running


async def test_the_gpu_quota_key_comes_from_the_pools_gpu_detail(live_stack: Stack) -> None:
    stack = live_stack
    world = stack.sim.simulator.world
    pool = world.pools[_pool_id(stack)]
    for queue in world.queues[pool.id].values():  # no queue names the GPUs: nothing to guess from
        for quota in (queue.deserved, queue.guarantee, queue.capability):
            for name in [n for n in quota if "gpu" in n]:
                del quota[name]
    answer = await stack.ask(f"queue create team-g --pool {POOL} --deserved gpu=4", user=ADMIN)
    assert "created queue" in seen(answer)
    assert world.queues[pool.id]["team-g"].deserved == {pool.gpu_resource: "4"}
    view = await open_form(stack, f"job create --pool {POOL}", CallbackId.JOB_CREATE, user=OPERATOR)
    [gpu_type] = [b for b in view.view["blocks"] if b.get("block_id") == "gpu_type"]
    assert [o["value"] for o in gpu_type["element"]["options"]] == [pool.gpu_resource]
