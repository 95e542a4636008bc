"""The AIHC client's 20 operations against the simulator, over real HTTP on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr

from bot.aihc.client import AihcClient
from bot.aihc.errors import AihcNotFound
from bot.domain import (
    ROOT_QUEUE_NAME,
    JobFramework,
    JobStatus,
    MetricType,
    Priority,
    QueueSpec,
    Resource,
)
from bot.domain.jobspec import ImagePullCredentials, JobSpec
from bot.simulator.state import SHAPES
from tests.simulator.conftest import START, Sim, running_sim


@pytest.fixture(params=SHAPES)
async def sim(request: pytest.FixtureRequest) -> AsyncIterator[Sim]:
    """The demo world in each shapes: the live service's and the v1 document's."""
    async with running_sim(shapes=request.param) as running:
        yield running


async def _pool_id(client: AihcClient, name: str) -> str:
    return next(p.id for p in await client.all_pools() if p.name == name)


async def test_pools_and_nodes(client: AihcClient) -> None:
    pools = await client.all_pools()
    assert sorted(p.name for p in pools) == ["cv-h800-pool", "llm-a800-pool"]
    page = await client.list_pools(page_size=1)
    assert page.total == 2
    assert len(page.items) == 1
    pool = await client.get_pool(await _pool_id(client, "llm-a800-pool"))
    assert pool.gpu_total == 48
    assert pool.node_total == 6
    nodes = await client.all_nodes(pool.id)
    assert len(nodes) == 6
    assert all(n.instance_name for n in nodes)
    assert (await client.list_nodes(pool.id, page_size=4)).items[0].gpu_total == 8


async def test_queue_lifecycle(client: AihcClient) -> None:
    pool_id = await _pool_id(client, "llm-a800-pool")
    spec = QueueSpec(name="team 甲", deserved={"cpu": 10, "baidu.com/a800_80g_cgpu": 8})
    assert (await client.create_queue(pool_id, spec)).name == "team 甲"
    queues = {q.name: q for q in await client.all_queues(pool_id)}
    assert queues[ROOT_QUEUE_NAME].is_root
    assert queues["team 甲"].deserved["baidu.com/a800_80g_cgpu"] == "8"
    assert (await client.list_queues(pool_id, page_size=2)).total == 7
    changed = QueueSpec(name="team 甲", description="eight GPUs", reclaimable=True)
    assert (await client.update_queue(pool_id, changed)).name == "team 甲"
    queue = await client.get_queue(pool_id, "team 甲")
    assert queue.description == "eight GPUs"
    assert queue.reclaimable is True
    assert (await client.delete_queue(pool_id, "team 甲")).name == "team 甲"
    with pytest.raises(AihcNotFound):
        await client.get_queue(pool_id, "team 甲")


async def test_job_reads(client: AihcClient) -> None:
    pool_id = await _pool_id(client, "llm-a800-pool")
    jobs = await client.all_jobs(pool_id)
    assert len(jobs) == 15
    page = await client.list_jobs(pool_id, queue="llm-sft", page_size=2)
    assert page.total == 4
    job = next(j for j in jobs if j.name == "llama2-13b-pretrain-7")
    detail = await client.get_job(pool_id, job.id)
    assert detail.status is JobStatus.RUNNING
    assert [p.name for p in detail.pods] == [
        "llama2-13b-pretrain-7-master-0",
        "llama2-13b-pretrain-7-worker-0",
    ]
    assert detail.rank_zero_pod is not None
    assert detail.rank_zero_pod.is_rank_zero
    # This job's raw-request annotation carries a registry password; none of it may surface.
    assert "s3cr3t" not in detail.model_dump_json()
    nodes = await client.job_nodes(pool_id, job.id)
    assert nodes.job_id == job.id
    assert nodes.node_names


async def test_events_logs_metrics_and_terminal(client: AihcClient) -> None:
    pool_id = await _pool_id(client, "llm-a800-pool")
    job = next(j for j in await client.all_jobs(pool_id) if j.name == "llama2-13b-pretrain-7")
    pod = "llama2-13b-pretrain-7-master-0"
    events = await client.job_events(pool_id, job.id)
    assert {"SuccessfulCreatePod", "JobRunning"} <= {e.reason for e in events}
    assert all(e.first_timestamp is not None for e in events)
    since = datetime.fromtimestamp(START, UTC) - timedelta(hours=6)
    pod_events = await client.pod_events(pool_id, job.id, pod, start=since)
    assert "Started" in {e.reason for e in pod_events}
    logs = await client.pod_logs(pool_id, job.id, pod, max_lines=30, chunk=7)
    assert len(logs.lines) == 30
    assert "lm loss:" in logs.lines[-1]
    recent = datetime.fromtimestamp(START - 300, UTC)
    metrics = await client.job_metrics(
        pool_id, job.id, MetricType.GPU_USAGE, start=recent, time_step=60
    )
    assert [p.pod_name for p in metrics.pods] == [pod, "llama2-13b-pretrain-7-worker-0"]
    points = metrics.pods[0].points
    assert len(points) == 6
    assert all(p.time is not None and p.value is not None for p in points)
    terminal = await client.web_terminal(pool_id, job.id, pod, ping_timeout=120)
    assert terminal.url.startswith("wss://")


async def test_mpi_job_events_use_the_framework_from_the_id(client: AihcClient) -> None:
    pool_id = await _pool_id(client, "cv-h800-pool")
    job = next(j for j in await client.all_jobs(pool_id) if j.name == "vit-l16-mpi-2")
    assert job.framework is JobFramework.MPI
    assert await client.job_events(pool_id, job.id)
    assert await client.pod_events(pool_id, job.id, "vit-l16-mpi-2-launcher-0")


async def test_job_writes(sim: Sim, client: AihcClient) -> None:
    pool_id = await _pool_id(client, "llm-a800-pool")
    spec = JobSpec(
        name="client-made",
        image="registry.baidubce.com/aihc-aiak/aiak-megatron:v1",
        command="bash /workspace/Megatron-LM/examples/pretrain_llama.sh",
        replicas=2,
        queue="llm-pretrain",
        resources=(Resource(name="baidu.com/a800_80g_cgpu", quantity=8),),
        labels={"aihc-sim/outcome": "running"},
        image_credentials=ImagePullCredentials(username="u", password=SecretStr("hunter2-pull")),
    )
    ref = await client.create_job(pool_id, spec, client_token="slack-abc")
    assert ref.job_name == "client-made"
    assert (await client.create_job(pool_id, spec, client_token="slack-abc")).job_id == ref.job_id
    raw = await sim.api.get(f"/api/v1/aijobs/{ref.job_id}", params={"resourcePoolId": pool_id})
    assert "hunter2-pull" in raw.text
    await client.set_job_priority(pool_id, ref.job_id, Priority.HIGH)
    made = await client.get_job(pool_id, ref.job_id)
    assert made.priority is Priority.HIGH
    assert "hunter2-pull" not in made.model_dump_json()
    await sim.advance(600)
    assert (await client.get_job(pool_id, ref.job_id)).status is JobStatus.RUNNING
    await client.stop_job(pool_id, ref.job_id)
    stopped = await client.get_job(pool_id, ref.job_id)
    assert stopped.status is JobStatus.MANUAL_TERMINATION
    assert stopped.finished_at is not None
    await client.delete_job(pool_id, ref.job_id)
    with pytest.raises(AihcNotFound):
        await client.get_job(pool_id, ref.job_id)


ALL_OPERATIONS = {
    "get_pool",
    "list_pools",
    "list_nodes",
    "create_queue",
    "list_queues",
    "delete_queue",
    "update_queue",
    "get_queue",
    "create_job",
    "list_jobs",
    "get_job",
    "delete_job",
    "set_job_priority",
    "job_events",
    "pod_logs",
    "pod_events",
    "stop_job",
    "job_metrics",
    "job_nodes",
    "web_terminal",
}


async def test_every_operation_reaches_its_route(sim: Sim, client: AihcClient) -> None:
    pool_id = await _pool_id(client, "llm-a800-pool")
    await client.get_pool(pool_id)
    await client.list_nodes(pool_id)
    await client.create_queue(pool_id, QueueSpec(name="q1"))
    await client.list_queues(pool_id)
    await client.update_queue(pool_id, QueueSpec(name="q1", description="d"))
    await client.get_queue(pool_id, "q1")
    await client.delete_queue(pool_id, "q1")
    spec = JobSpec(
        name="every-op", image="img", command="true", labels={"aihc-sim/outcome": "running"}
    )
    job_id = (await client.create_job(pool_id, spec, client_token="every-op")).job_id
    await sim.advance(600)
    pod = "every-op-master-0"
    await client.list_jobs(pool_id)
    await client.get_job(pool_id, job_id)
    await client.set_job_priority(pool_id, job_id, Priority.LOW)
    await client.job_events(pool_id, job_id)
    await client.pod_logs(pool_id, job_id, pod)
    await client.pod_events(pool_id, job_id, pod)
    await client.job_metrics(pool_id, job_id, MetricType.CPU_USAGE)
    await client.job_nodes(pool_id, job_id)
    await client.web_terminal(pool_id, job_id, pod)
    await client.stop_job(pool_id, job_id)
    await client.delete_job(pool_id, job_id)
    stats = (await sim.ctl.get("/_sim/stats")).json()
    assert set(stats["operations"]) == ALL_OPERATIONS
    assert set(stats["statuses"]) == {"200"}
