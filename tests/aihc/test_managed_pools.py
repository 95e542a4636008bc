"""`queueID` goes where Baidu's Go SDK sends it: on job calls in managed pools, nowhere else."""

from __future__ import annotations

import httpx
import pytest

from bot.domain import JobSpec, Priority
from tests.aihc.fake import FakeAihc, ok

MANAGED = "aihc-serverless"


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
