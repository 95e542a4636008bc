"""`queueID` goes where Baidu's Go SDK sends it: on job calls in managed pools, nowhere else."""

from __future__ import annotations

import httpx
import pytest

from bot.aihc.errors import AihcError
from bot.domain import JobSpec, Priority
from tests.aihc.fake import FakeAihc, ok
from tests.managed import MANAGED, OTHER_QUEUE, QUEUE, add_managed_pool
from tests.simulator.conftest import bot_client, running_sim

JOB = {"requestId": "r", "result": {"jobId": "pytorchjob-x", "status": "Running", "queue": "q"}}


@pytest.mark.parametrize(("pool", "sent"), [(MANAGED, "q"), ("aihc-bhcmp", "q"), ("cce-1", None)])
async def test_queue_id_goes_only_to_managed_pools_where_go_sends_it(
    fake: FakeAihc, pool: str, sent: str | None
) -> None:
    path = "/api/v1/aijobs/pytorchjob-x"
    terminal = ok({"requestId": "r", "result": {"WebTerminalUrl": "https://t"}})
    for method, route, reply in [
        ("GET", path, ok(JOB)),
        ("PUT", path, ok(JOB)),
        ("POST", path + "/stop", ok(JOB)),
        ("DELETE", path, ok(JOB)),
        ("GET", path + "/pods/x-master-0/webterminal", terminal),
        ("POST", "/api/v1/aijobs", ok(JOB)),
    ]:
        fake.on(method, route, reply)
    async with fake.client() as client:
        await client.get_job(pool, "pytorchjob-x", queue="q")
        await client.set_job_priority(pool, "pytorchjob-x", Priority.LOW, queue="q")
        await client.stop_job(pool, "pytorchjob-x", queue="q")
        await client.delete_job(pool, "pytorchjob-x", queue="q")
        await client.web_terminal(pool, "pytorchjob-x", "x-master-0", queue="q")
        spec = JobSpec(name="n", image="i", command="c", queue="q")
        await client.create_job(pool, spec, client_token="slack-k")
    assert len(fake.requests) == 6
    assert all(_queue_id(r) == sent for r in fake.requests)


def _queue_id(request: httpx.Request) -> str | None:
    return request.url.params.get("queueID")


@pytest.mark.parametrize(("pool", "sent"), [(MANAGED, "q"), ("cce-1", None)])
async def test_pod_logs_carry_the_jobs_queue_in_a_managed_pool(
    fake: FakeAihc, pool: str, sent: str | None
) -> None:
    # Go sends `queueID` on pod logs when it has one (`services/aihc/resource/client.go:404`).
    logs = {"requestId": "r", "result": {"logs": ["a"], "total": 1}}
    fake.on("GET", "/api/v1/aijobs/pytorchjob-x/pods/x-master-0/logs", ok(logs))
    async with fake.client() as client:
        await client.pod_logs(pool, "pytorchjob-x", "x-master-0", queue="q")
    assert [_queue_id(r) for r in fake.requests] == [sent]


async def test_a_managed_pool_refuses_a_job_list_without_a_queue() -> None:
    async with running_sim(scenario="empty") as sim:
        add_managed_pool(sim.running.simulator.world)
        bare = await sim.api.get("/api/v1/aijobs", params={"resourcePoolId": MANAGED})
        query = {"resourcePoolId": MANAGED, "queue": QUEUE, "queueID": QUEUE}
        one = await sim.api.get("/api/v1/aijobs", params=query)
    # The message Go gives (`services/aihc/resource/client.go:466-468`).
    assert bare.status_code == 400
    assert "queueID" in bare.json()["message"]
    assert one.status_code == 200


async def test_a_managed_pools_jobs_are_walked_queue_by_queue_newest_first() -> None:
    async with running_sim(scenario="empty") as sim:
        add_managed_pool(sim.running.simulator.world)
        async with bot_client(sim) as aihc:
            made = []
            for index in range(5):
                queue = QUEUE if index % 2 else OTHER_QUEUE
                spec = JobSpec(name=f"job-{index}", image="i", command="c", queue=queue)
                made.append((await aihc.create_job(MANAGED, spec, client_token=f"k{index}")).job_id)
                await sim.advance(1)
            pages = [p async for p in aihc.job_pages(MANAGED, max_pages=10, page_size=2)]
            with pytest.raises(AihcError, match="queue"):
                await aihc.list_jobs(MANAGED)
    assert [job.id for page in pages for job in page.items] == made[::-1]
    assert [page.is_last for page in pages] == [False, False, True]
