"""Each inconsistency of AIHC-NOTES §2, and unknown fields and values, parse without harm."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.aihc.wire.tolerant import parse_time
from bot.domain import JobFramework, JobStatus, Priority
from tests.aihc.fake import FakeAihc, fixture, ok

POOL = "cce-1"


def job(**fields: Any) -> dict[str, Any]:
    return {"jobId": "pytorchjob-1", "name": "train", "status": "Running", **fields}


async def fetch_job(fake: FakeAihc, payload: dict[str, Any]) -> Any:
    fake.on("GET", "/api/v1/aijobs/pytorchjob-1", ok({"requestId": "r", "result": payload}))
    async with fake.client() as client:
        return await client.get_job(POOL, "pytorchjob-1")


async def test_request_id_is_read_from_either_spelling_or_the_header(fake: FakeAihc) -> None:
    base = "/api/v1/resourcepools/p/queue"
    fake.on("POST", base, ok({"requestID": "upper", "result": {"queueName": "a"}}))
    fake.on("PUT", base + "/a", ok({"requestId": "lower", "result": {"queueName": "a"}}))
    fake.on("DELETE", base + "/a", ok({"result": {}}, **{"x-bce-request-id": "from-header"}))
    async with fake.client() as client:
        from bot.domain import QueueSpec

        refs = [
            await client.create_queue("p", QueueSpec(name="a")),
            await client.update_queue("p", QueueSpec(name="a")),
            await client.delete_queue("p", "a"),
        ]
    assert [r.request_id for r in refs] == ["upper", "lower", "from-header"]


async def test_events_tolerate_a_result_wrapper(fake: FakeAihc) -> None:
    wrapped = {"requestId": "r", "result": fixture("pod_events_response")}
    fake.on("GET", "/api/v1/aijobs/mpijob-1/pods/p-0/events", ok(wrapped))
    async with fake.client() as client:
        events = await client.pod_events(POOL, "mpijob-1", "p-0")
    assert len(events) == 9
    (sent,) = fake.requests
    # pod events take the framework derived from the job id prefix
    assert sent.url.params["jobFramework"] == "MPIJob"


async def test_pool_list_total_in_either_key(fake: FakeAihc) -> None:
    body = {"requestId": "r", "result": {"resourcePools": [], "total": 4}}
    fake.on("GET", "/api/v1/resourcepools", ok(body))
    async with fake.client() as client:
        page = await client.list_pools()
    assert page.total == 4
    assert fixture("pool_list_response")["result"]["totalCount"] == 9  # the document's spelling


async def test_node_keys_are_trimmed_and_case_insensitive(fake: FakeAihc) -> None:
    nodes = [{"instanceId": "i-lower", "INSTANCENAME": "n", " nodeName ": "10.0.0.1"}]
    body = {"requestId": "r", "result": {"nodes": nodes}}
    fake.on("GET", "/api/v1/resourcepools/p/nodes", ok(body))
    async with fake.client() as client:
        (node,) = (await client.list_nodes("p")).items
    assert (node.instance_id, node.instance_name, node.name) == ("i-lower", "n", "10.0.0.1")


async def test_pool_metadata_variants_and_nulls(fake: FakeAihc) -> None:
    pool = {
        "metadata": {"uid": "cce-u", "name": None},
        "spec": {"associatedCpromIds": ["c1"], "associatedPfsId": None, "forbidDelete": None},
        "status": {"gpuCount": None, "nodeCount": {"total": "6", "used": 5}},
    }
    fake.on("GET", "/api/v1/resourcepools/cce-u", ok({"result": {"resourcePool": pool}}))
    async with fake.client() as client:
        got = await client.get_pool("cce-u")
    assert (got.id, got.name, got.cprom_ids, got.pfs_id) == ("cce-u", "", ("c1",), "")
    assert (got.gpu_total, got.node_total, got.node_used) == (0, 6, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-07-16T08:33:43Z", datetime(2024, 7, 16, 8, 33, 43, tzinfo=UTC)),
        ("2024-07-16T16:33:43+08:00", datetime(2024, 7, 16, 8, 33, 43, tzinfo=UTC)),
        ("2024-07-15 16:52:50 +0000 UTC", datetime(2024, 7, 15, 16, 52, 50, tzinfo=UTC)),
        ("2024-07-15 16:52:50.5 +0800 CST", datetime(2024, 7, 15, 8, 52, 50, 500000, tzinfo=UTC)),
        ("1721118823", datetime(2024, 7, 16, 8, 33, 43, tzinfo=UTC)),
        (1721118823000, datetime(2024, 7, 16, 8, 33, 43, tzinfo=UTC)),
        ("", None),
        (None, None),
        ("0001-01-01T00:00:00Z", None),
        ("yesterday", None),
    ],
)
def test_times_in_every_shape(text: object, expected: datetime | None) -> None:
    assert parse_time(text) == expected


async def test_empty_finished_at_means_not_finished(fake: FakeAihc) -> None:
    got = await fetch_job(fake, job(finishedAt="", createdAt="2024-07-16T17:20:04Z"))
    assert got.finished_at is None
    assert got.created_at == datetime(2024, 7, 16, 17, 20, 4, tzinfo=UTC)


async def test_job_nodes_and_web_terminal_spellings(fake: FakeAihc) -> None:
    nodes = {"result": {"jobID": "pytorchjob-1", "nodeName": ["10.0.0.1", "10.0.0.2"]}}
    fake.on("GET", "/api/v1/aijobs/pytorchjob-1/nodes", ok(nodes))
    terminal = {"result": {"WebTerminalUrl": "wss://t/x"}}
    fake.on("GET", "/api/v1/aijobs/pytorchjob-1/pods/p/webterminal", ok(terminal))
    async with fake.client() as client:
        got_nodes = await client.job_nodes(POOL, "pytorchjob-1")
        got_terminal = await client.web_terminal(POOL, "pytorchjob-1", "p")
    assert got_nodes.node_names == ("10.0.0.1", "10.0.0.2")
    assert got_terminal.url == "wss://t/x"


async def test_quotas_are_sent_as_numbers_and_read_as_strings(fake: FakeAihc) -> None:
    from bot.domain import QueueSpec

    fake.on("POST", "/api/v1/resourcepools/p/queue", ok({"result": {"queueName": "q"}}))
    async with fake.client() as client:
        await client.create_queue("p", QueueSpec(name="q", deserved={"gpu": 8, "cpu": 1.5}))
    (sent,) = fake.requests
    assert b'"deserved": {"gpu": 8, "cpu": 1.5}' in sent.read()
    queue = fixture("queue_detail_response")["result"]["queue"]
    assert queue["deserved"] == {"cpu": "5", "memory": "10"}


async def test_logs_in_chunks_are_split_into_lines(fake: FakeAihc) -> None:
    chunks = ["step 1\nstep 2\n", "step 3\r\nstep 4", "", "step 5\n"]
    body = {"result": {"podName": "p", "logs": chunks}}
    fake.on("GET", "/api/v1/aijobs/pytorchjob-1/pods/p/logs", ok(body))
    async with fake.client() as client:
        logs = await client.pod_logs(POOL, "pytorchjob-1", "p", max_lines=10, chunk=2)
    assert logs.lines == ("step 1", "step 2", "step 3", "step 4", "step 5")
    (sent,) = fake.requests
    assert (sent.url.params["maxLines"], sent.url.params["chunk"]) == ("10", "2")


async def test_framework_spellings(fake: FakeAihc) -> None:
    got = await fetch_job(fake, job(jobFramework="pytorch"))
    assert got.framework is JobFramework.PYTORCH
    assert JobFramework.for_job_id("mpijob-3f19") is JobFramework.MPI


async def test_unknown_fields_and_values_never_break_parsing(fake: FakeAihc) -> None:
    got = await fetch_job(
        fake,
        job(
            status="Hibernating",
            priority="urgent",
            brandNewField={"nested": [1, 2]},
            resources=[{"name": "cpu", "quantity": "2"}, "garbage", {"quantity": 1}],
            labels=None,
            podList={"pods": [{"objectMeta": {"name": "p-0"}, "restartCount": "3"}, 42]},
            queueingSequence="n/a",
        ),
    )
    assert got.status is JobStatus.UNKNOWN
    assert got.status_text == "Hibernating"
    assert got.priority is None
    assert got.priority_text == "urgent"
    assert [(r.name, r.quantity) for r in got.resources] == [("cpu", 2.0)]
    assert got.labels == {}
    assert [(p.name, p.restart_count) for p in got.pods] == [("p-0", 3)]
    assert got.queueing_sequence is None


async def test_status_and_priority_case_is_ignored(fake: FakeAihc) -> None:
    got = await fetch_job(fake, job(status="manualtermination", priority="HIGH"))
    assert got.status is JobStatus.MANUAL_TERMINATION
    assert got.status.is_terminal
    assert got.priority is Priority.HIGH
    assert JobStatus.parse("Canceled") is JobStatus.CANCELLED


async def test_a_missing_job_id_is_a_response_error(fake: FakeAihc) -> None:
    from bot.aihc.errors import AihcResponseError

    with pytest.raises(AihcResponseError, match="without a job id"):
        await fetch_job(fake, {"name": "orphan"})


async def test_a_memory_quantity_with_a_unit_is_kept_in_gb(fake: FakeAihc) -> None:
    """Baidu's CLI sends job memory as "16.0GB" (aihc_cli_py create_job_request.py:199-201), and a
    live answer may echo it: the job read back keeps its memory, not a dropped resource."""
    resources = [
        {"name": "baidu.com/a800_80g_cgpu", "quantity": "8"},
        {"name": "memory", "quantity": "16.0GB"},
        {"name": "cpu", "quantity": "not a number"},
    ]
    found = await fetch_job(fake, job(resources=resources))
    quantities = {r.name: r.quantity for r in found.resources}
    assert quantities == {"baidu.com/a800_80g_cgpu": 8.0, "memory": 16.0}
