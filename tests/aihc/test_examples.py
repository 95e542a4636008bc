"""Every JSON example of the API document goes through the real client code path."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.aihc.convert import queue_body
from bot.aihc.convert_jobs import job_body
from bot.domain import (
    Datasource,
    EnvVar,
    JobFramework,
    JobSpec,
    JobStatus,
    MetricType,
    Priority,
    QueueSpec,
    Resource,
)
from tests.aihc.fake import FakeAihc, fixture, ok

POOL = "cce-6zwnp4zf"
JOB = "pytorchjob-19d38d07-3e04-49ef-8428-d792881fc5fa"


async def test_pool_detail(fake: FakeAihc) -> None:
    fake.on("GET", "/api/v1/resourcepools/cce-9c2b8j9n", ok(fixture("pool_detail_response")))
    async with fake.client() as client:
        pool = await client.get_pool("cce-9c2b8j9n")
    assert (pool.id, pool.name, pool.phase, pool.region) == (
        "cce-9c2b8j9n",
        "baige-pfsl1",
        "running",
        "bj",
    )
    assert (pool.gpu_total, pool.gpu_used, pool.node_total) == (16, 16, 2)
    assert pool.pfs_id == "pfs-7xWeAt"
    assert pool.cprom_ids == ()
    assert pool.created_at == datetime(2024, 6, 7, 12, 7, 10, tzinfo=UTC)


async def test_pool_list_reads_id_and_uid_and_total_count(fake: FakeAihc) -> None:
    fake.on("GET", "/api/v1/resourcepools", ok(fixture("pool_list_response")))
    async with fake.client() as client:
        page = await client.list_pools()
    assert [p.id for p in page.items] == ["cce-xxxxx", POOL]
    assert page.total == 9
    assert page.items[0].cprom_ids == ("cprom-u02v1w7bj3j0b",)
    assert page.items[1].pfs_id == "pfs-pxE6jz"
    assert page.items[1].description == "百舸灰度测试集群-don't delete"
    # "+08:00" read as the same instant in UTC
    assert page.items[0].created_at == datetime(2024, 1, 24, 2, 51, 44, tzinfo=UTC)


async def test_pool_nodes_with_the_trailing_space_key(fake: FakeAihc) -> None:
    fake.on("GET", "/api/v1/resourcepools/cce-9c2b8j9n/nodes", ok(fixture("pool_nodes_response")))
    async with fake.client() as client:
        page = await client.list_nodes("cce-9c2b8j9n")
    assert page.total == 3
    first, cordoned, failed = page.items
    assert first.instance_name == "cce-9iv03gmg-8jmisp2d"
    assert first.instance_id == "cce-gm1vwbke-oi6ymus3"
    assert cordoned.status_phase == "ready_scheduling_disabled"
    assert cordoned.intervention == "tainted"
    assert (failed.gpu_type, failed.gpu_total, failed.status_phase) == (
        "nTeslaA800-80G",
        8,
        "create_failed",
    )


async def test_queue_write_examples(fake: FakeAihc) -> None:
    base = "/api/v1/resourcepools/cce-9c2b8j9n/queue"
    fake.on("POST", base, ok(fixture("queue_create_response")))
    fake.on("PUT", base + "/demo", ok(fixture("queue_update_response")))
    fake.on("DELETE", base + "/demo", ok(fixture("queue_delete_response")))
    async with fake.client() as client:
        created = await client.create_queue("cce-9c2b8j9n", QueueSpec(name="def1"))
        updated = await client.update_queue("cce-9c2b8j9n", QueueSpec(name="demo"))
        deleted = await client.delete_queue("cce-9c2b8j9n", "demo")
    assert (created.name, updated.name, deleted.name) == ("def1", "demo", "demo")
    # queue routes say `requestID`
    assert created.request_id == "524eef70-c7fc-4b78-84a4-bd949a757be2"
    assert deleted.request_id == "504d5733-c6b1-44fe-8d0a-15eb97388ae4"


def test_queue_request_examples_are_what_the_client_sends() -> None:
    create = QueueSpec(
        name="demo",
        description="This is a test queue",
        deserved={"cpu": 10, "gpu": 2, "memory": 20},
        parent_queue="root",
        queue_type="Regular",
        disable_oversell=False,
    )
    assert queue_body(create, include_name=True) == fixture("queue_create_request")
    update = QueueSpec(
        name="ignored-in-body",
        description="This is a test",
        disable_oversell=True,
        guarantee={"cpu": 3, "memory": 6},
        deserved={"cpu": 5, "memory": 10},
        capability={"cpu": 5, "memory": 10},
    )
    assert queue_body(update, include_name=False) == fixture("queue_update_request")


async def test_queue_list_and_detail(fake: FakeAihc) -> None:
    base = "/api/v1/resourcepools/cce-9c2b8j9n/queue"
    fake.on("GET", base, ok(fixture("queue_list_response")))
    fake.on("GET", base + "/dddddddd", ok(fixture("queue_detail_response")))
    async with fake.client() as client:
        page = await client.list_queues("cce-9c2b8j9n")
        queue = await client.get_queue("cce-9c2b8j9n", "dddddddd")
    root, default = page.items
    assert root.is_root
    assert not default.is_root
    assert root.capability["memory"] == "573173870592"
    assert default.queue_type == "Elastic"
    assert default.reclaimable is True
    assert queue.deserved == {"cpu": "5", "memory": "10"}
    assert queue.description == "This is a test"
    assert queue.created_at == datetime(2024, 7, 16, 12, 27, 57, tzinfo=UTC)


async def test_job_create_example_round_trip(fake: FakeAihc) -> None:
    request = fixture("job_create_request")
    spec_json = request["jobSpec"]
    spec = JobSpec(
        name=request["name"],
        queue="default",
        priority=Priority.NORMAL,
        framework=JobFramework.PYTORCH,
        image=spec_json["image"],
        command=spec_json["command"],
        replicas=1,
        resources=(Resource(name="baidu.com/a800_80g_cgpu", quantity=8),),
        envs=(EnvVar(name="CUDA_DEVICE_MAX_CONNECTIONS", value="1"),),
        enable_rdma=True,
        datasources=(Datasource(type="pfs", name="pfs-7xWeAt", mount_path="/mnt/cluster"),),
    )
    body = job_body(spec)
    for key in ("queue", "priority", "jobFramework", "name", "datasources"):
        assert body[key] == request[key]
    for key, value in spec_json.items():
        assert body["jobSpec"][key] == value
    fake.on("POST", "/api/v1/aijobs", ok(fixture("job_create_response")))
    async with fake.client() as client:
        ref = await client.create_job(POOL, spec, client_token="slack-T1-abc")
    assert ref.job_id == "pytorchjob-265e535d-7bec-4b68-88bb-08faa4247504"
    assert ref.job_name == "api-create-py-test-2"


async def test_job_list_example(fake: FakeAihc) -> None:
    fake.on("GET", "/api/v1/aijobs", ok(fixture("job_list_response")))
    async with fake.client() as client:
        page = await client.list_jobs(POOL)
    (job,) = page.items
    assert job.id == "mpijob-3f19fcd8-7f6f-40c8-9f36-77d1365c8d15"
    assert job.status is JobStatus.CREATED
    assert job.framework is JobFramework.MPI
    assert job.finished_at is None
    assert job.creator == "zhanghuan12"
    assert job.gpu_count == 8
    assert job.enable_rdma is True
    assert [d.mount_path for d in job.datasources] == ["/dev/shm"]
    assert page.total == 9
    assert page.received == 1


async def test_job_detail_example(fake: FakeAihc) -> None:
    fake.on("GET", f"/api/v1/aijobs/{JOB}", ok(fixture("job_detail_response")))
    async with fake.client() as client:
        job = await client.get_job(POOL, JOB)
    assert job.status is JobStatus.RUNNING
    assert job.fault_tolerance
    (pod,) = job.pods
    assert (pod.name, pod.phase, pod.ip, pod.node_name) == (
        "job-test-3-master-0",
        "Running",
        "10.11.3.106",
        "192.168.12.46",
    )
    assert pod.is_rank_zero
    assert job.rank_zero_pod == pod
    assert job.labels["aaaaa"] == "bbbb"


async def test_job_mutation_examples(fake: FakeAihc) -> None:
    fake.on("DELETE", "/api/v1/aijobs/j1", ok(fixture("job_delete_response")))
    fake.on("PUT", "/api/v1/aijobs/j2", ok(fixture("job_priority_response")))
    fake.on("POST", "/api/v1/aijobs/j3/stop", ok(fixture("job_stop_response")))
    async with fake.client() as client:
        deleted = await client.delete_job(POOL, "j1")
        prioritised = await client.set_job_priority(POOL, "j2", Priority.NORMAL)
        stopped = await client.stop_job(POOL, "j3")
    assert deleted.job_id == "pytorchjob-7f5da650-6d67-4078-9f3c-d1a9cdfcdbe6"
    assert deleted.request_id == "e17cbc2c-3202-46fa-88ad-a3c86362e764"
    assert prioritised.job_id == "pytorchjob-26e495bf-dea8-4178-9034-698d3cee6e50"
    assert stopped.job_id == "pytorchjob-265e535d-7bec-4b68-88bb-08faa4247504"
    (sent,) = fake.calls("PUT", "/api/v1/aijobs/j2")
    assert sent.read() == b'{"priority": "normal"}'
    assert fixture("job_priority_request") == {"priority": "normal"}


async def test_job_and_pod_events_come_bare(fake: FakeAihc) -> None:
    fake.on("GET", f"/api/v1/aijobs/{JOB}/events", ok(fixture("job_events_response")))
    pod = "test-api-llama2-7b-4-master-0"
    fake.on("GET", f"/api/v1/aijobs/{JOB}/pods/{pod}/events", ok(fixture("pod_events_response")))
    async with fake.client() as client:
        events = await client.job_events(POOL, JOB)
        pod_events = await client.pod_events(POOL, JOB, pod)
    assert len(events) == 8
    assert len(pod_events) == 9
    warnings = [e.reason for e in events if e.is_warning]
    assert warnings == ["FailedToStartFaultTolerance", "Error"]
    assert events[0].count == 4
    assert events[0].first_timestamp == datetime(2024, 7, 15, 16, 52, 50, tzinfo=UTC)
    assert pod_events[-1].reason == "Scheduled"
    (sent,) = fake.calls("GET", f"/api/v1/aijobs/{JOB}/events")
    assert sent.url.params["jobFramework"] == "PyTorchJob"


async def test_pod_logs_split_into_lines(fake: FakeAihc) -> None:
    pod = "gl2-b5394-xy65-master-0"
    fake.on("GET", f"/api/v1/aijobs/{JOB}/pods/{pod}/logs", ok(fixture("pod_logs_response")))
    async with fake.client() as client:
        logs = await client.pod_logs(POOL, JOB, pod)
    assert logs.pod_name == pod
    assert logs.lines[0].startswith("/usr/local/lib/python3.8/dist-packages/torch/distributed")
    assert "  warnings.warn(" in logs.lines
    assert logs.lines[-1] == "  abort_on_unmet_fused_kernel_constraints ......... False"
    assert all("\n" not in line for line in logs.lines)


async def test_metrics_nodes_and_terminal_examples(fake: FakeAihc) -> None:
    fake.on("GET", f"/api/v1/aijobs/{JOB}/metrics", ok(fixture("job_metrics_response")))
    fake.on("GET", f"/api/v1/aijobs/{JOB}/nodes", ok(fixture("job_nodes_response")))
    pod = "job-test-3-master-0"
    fake.on(
        "GET", f"/api/v1/aijobs/{JOB}/pods/{pod}/webterminal", ok(fixture("web_terminal_response"))
    )
    async with fake.client() as client:
        metrics = await client.job_metrics(POOL, JOB, MetricType.GPU_USAGE)
        nodes = await client.job_nodes(POOL, JOB)
        terminal = await client.web_terminal(POOL, JOB, pod)
    (series,) = metrics.pods
    assert series.pod_name == "string"
    assert series.points[0].time is None
    assert series.points[0].value is None
    assert nodes.node_names == ()
    assert nodes.job_id == JOB
    assert terminal.url.startswith("wss://cce-webshell-bj.bce.baidu.com/")
    (sent,) = fake.calls("GET", f"/api/v1/aijobs/{JOB}/metrics")
    assert sent.url.params["metricType"] == "GpuUsage"
