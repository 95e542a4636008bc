"""Fields Baidu's Go SDK reads from the live service, and the client once dropped, are read."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

from tests.aihc.fake import FakeAihc, ok

POOL = "cce-1"
JOB = "pytorchjob-1"


async def test_pod_reason_and_finish_time_are_read(fake: FakeAihc) -> None:
    pod = {
        "objectMeta": {"name": "train-master-0"},
        "podStatus": {"podPhase": "Failed", "status": "Error"},
        "reason": "OOMKilled",
        "finishedAt": "2024-07-16T08:40:00Z",
    }
    job = {"jobId": JOB, "name": "train", "status": "Failed", "podList": {"pods": [pod]}}
    fake.on("GET", f"/api/v1/aijobs/{JOB}", ok({"requestId": "r", "result": job}))
    async with fake.client() as client:
        got = await client.get_job(POOL, JOB)
    (read,) = got.pods
    assert read.reason == "OOMKilled"
    assert read.finished_at == datetime(2024, 7, 16, 8, 40, tzinfo=UTC)


async def test_job_schedule_and_run_times_and_bccl_status_are_read(fake: FakeAihc) -> None:
    job = {
        "jobId": JOB,
        "status": "Running",
        "createdAt": "2024-07-16T08:00:00Z",
        "scheduledAt": "2024-07-16T08:05:00Z",
        "runningAt": "2024-07-16T08:07:30Z",
        "enableBcclStatus": "Failed",
        "enableBcclErrorReason": "no RDMA device",
    }
    fake.on("GET", f"/api/v1/aijobs/{JOB}", ok({"requestId": "r", "result": job}))
    async with fake.client() as client:
        got = await client.get_job(POOL, JOB)
    assert got.scheduled_at == datetime(2024, 7, 16, 8, 5, tzinfo=UTC)
    assert got.running_at == datetime(2024, 7, 16, 8, 7, 30, tzinfo=UTC)
    assert (got.bccl_status, got.bccl_error) == ("Failed", "no RDMA device")


async def test_node_capacity_and_gpu_descriptor_are_read(fake: FakeAihc) -> None:
    node = {
        "nodeName": "10.0.0.1",
        "gpuDescriptor": "baidu.com/a800_80g_cgpu",
        "cpuTotal": 128,
        "cpuAllocated": "64",
        "memoryTotal": 1_081_172_746_240,
        "memoryAllocated": 0,
    }
    body = {"requestId": "r", "result": {"nodes": [node], "total": 1}}
    fake.on("GET", f"/api/v1/resourcepools/{POOL}/nodes", ok(body))
    async with fake.client() as client:
        (got,) = (await client.list_nodes(POOL)).items
    assert got.gpu_descriptor == "baidu.com/a800_80g_cgpu"
    assert (got.cpu_total, got.cpu_allocated) == (128, 64)
    assert (got.memory_total, got.memory_allocated) == (1_081_172_746_240, 0)


def _queue(name: str, **fields: Any) -> dict[str, Any]:
    return {"name": name, "queueType": "Elastic", "state": "Open", **fields}


async def test_nested_queues_and_job_counts_are_read(fake: FakeAihc) -> None:
    leaf = _queue("team-a-dev", running=1, inqueue="0", pending=2)
    team = _queue("team-a", running=3, inqueue=1, pending=0, children=[leaf])
    body = {"requestID": "r", "result": {"queues": [team], "total": 1}}
    fake.on("GET", f"/api/v1/resourcepools/{POOL}/queue", ok(body))
    async with fake.client() as client:
        (got,) = (await client.list_queues(POOL)).items
    assert (got.running, got.inqueue, got.pending) == (3, 1, 0)
    (child,) = got.children
    assert (child.name, child.pool_id, child.pending) == ("team-a-dev", POOL, 2)


async def test_queues_nested_past_the_bound_are_cut_not_recursed(fake: FakeAihc) -> None:
    deep: dict[str, Any] = _queue("q-400")
    for level in range(399, -1, -1):
        deep = _queue(f"q-{level}", children=[deep])
    body = {"requestID": "r", "result": {"queue": deep}}
    fake.on("GET", f"/api/v1/resourcepools/{POOL}/queue/q-0", ok(body))
    async with fake.client() as client:
        got = await client.get_queue(POOL, "q-0")
    depth = 0
    while got.children:
        (got,) = got.children
        depth += 1
    assert depth == 8


def _log_page(lines: list[str], marker: str) -> dict[str, Any]:
    text = "".join(line + "\n" for line in lines)
    result = {"jobId": JOB, "podName": "p-0", "logs": [text], "nextMarker": marker}
    return {"requestId": "r", "result": result}


async def test_logs_follow_next_marker_within_the_tail(fake: FakeAihc) -> None:
    pages = {
        "": _log_page(["a1", "a2"], "m1"),
        "m1": _log_page(["b1", "b2"], "m2"),
        "m2": _log_page(["c1"], ""),
    }

    def answer(request: httpx.Request) -> httpx.Response:
        return ok(pages[request.url.params.get("marker", "")])

    fake.on("GET", f"/api/v1/aijobs/{JOB}/pods/p-0/logs", answer)
    async with fake.client() as client:
        logs = await client.pod_logs(POOL, JOB, "p-0", max_lines=4)
    assert logs.lines == ("a2", "b1", "b2", "c1")
    markers = [r.url.params.get("marker") for r in fake.requests]
    assert markers == [None, "m1", "m2"]


async def test_logs_stop_on_a_repeated_marker(fake: FakeAihc) -> None:
    fake.on("GET", f"/api/v1/aijobs/{JOB}/pods/p-0/logs", ok(_log_page(["same"], "again")))
    async with fake.client() as client:
        logs = await client.pod_logs(POOL, JOB, "p-0", max_lines=100)
    assert logs.lines == ("same", "same")
    assert len(fake.requests) == 2
