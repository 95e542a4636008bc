"""`/aihc job why`: end to end, a job held by its full queue is told why, in English and Chinese."""

from __future__ import annotations

from pydantic import SecretStr

from bot.aihc.client import AihcClient
from bot.domain import JobSpec, JobStatus, QueueSpec, Resource
from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY
from tests.slack.harness import WANG, Stack
from tests.slack.test_read_commands import RUNNING_JOB, seen

GPU = "baidu.com/a800_80g_cgpu"


async def _pool_id(stack: Stack) -> str:
    pools = await stack.runtime.aihc.all_pools()
    return next(pool.id for pool in pools if pool.name == "llm-a800-pool")


async def _submit(stack: Stack, pool: str, name: str) -> None:
    spec = JobSpec(
        name=name,
        image="registry.baidubce.com/aihc-aiak/aiak-megatron:v1",
        command="bash pretrain.sh",
        replicas=2,
        queue="tiny",
        resources=(Resource(name=GPU, quantity=8),),
        labels={"aihc-sim/outcome": "running"},
    )
    await stack.runtime.aihc.create_job(pool, spec, client_token=f"why-{name}")


async def test_a_job_held_by_its_full_queue_is_told_why(stack: Stack) -> None:
    pool = await _pool_id(stack)
    quota = {GPU: 16.0}
    # Through v1 whichever version the bot speaks: v2 has no queue writes.
    async with AihcClient(stack.sim.url, DEFAULT_ACCESS_KEY, SecretStr(DEFAULT_SECRET_KEY)) as v1:
        await v1.create_queue(pool, QueueSpec(name="tiny", capability=quota, deserved=quota))
    await _submit(stack, pool, "holds-the-quota")
    await stack.sim_control("POST", "/_sim/clock/advance", seconds=600)
    await _submit(stack, pool, "waits-for-quota")
    await stack.sim_control("POST", "/_sim/clock/advance", seconds=600)
    waiting = await stack.runtime.aihc.all_jobs(pool, queue="tiny")
    assert {j.name: j.status for j in waiting}["waits-for-quota"] is JobStatus.PENDING

    english = seen(await stack.ask("job why waits-for-quota"))
    assert "Why `waits-for-quota` waits* (Pending)" in english
    assert "Queue `tiny` is at its capability: 16 of 16 GPUs allocated" in english
    assert "needs 16 more" in english
    chinese = seen(await stack.ask("why waits-for-quota --pool llm-a800-pool", user=WANG))
    assert "`waits-for-quota` 为何在等待*（排队中）" in chinese
    assert "队列 `tiny` 已达到上限（capability）：已分配 16/16 个 GPU" in chinese


async def test_a_job_that_is_not_queued_says_its_status(stack: Stack) -> None:
    english = seen(await stack.ask(f"job why {RUNNING_JOB}"))
    assert f"`{RUNNING_JOB}` is not waiting for resources: it is Running." in english
    chinese = seen(await stack.ask(f"why {RUNNING_JOB}", user=WANG))
    assert "没有在等待资源：当前状态为运行中" in chinese
