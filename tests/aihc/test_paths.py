"""Caller-supplied ids are percent-encoded: no id can change the route."""

from __future__ import annotations

import pytest

from bot.aihc.errors import AihcError
from tests.aihc.fake import FakeAihc, ok


@pytest.mark.parametrize(
    ("job_id", "raw"),
    [
        ("../x", "/api/v1/aijobs/..%2Fx"),
        ("a?b", "/api/v1/aijobs/a%3Fb"),
        ("a#b", "/api/v1/aijobs/a%23b"),
        ("a b", "/api/v1/aijobs/a%20b"),
        ("训练", "/api/v1/aijobs/%E8%AE%AD%E7%BB%83"),
        ("a/../../resourcepools", "/api/v1/aijobs/a%2F..%2F..%2Fresourcepools"),
        ("x%2Fy", "/api/v1/aijobs/x%252Fy"),
    ],
)
async def test_hostile_ids_stay_one_segment(fake: FakeAihc, job_id: str, raw: str) -> None:
    fake.on("GET", "/api/v1/aijobs/" + job_id, ok({"result": {"jobId": job_id}}))
    async with fake.client() as client:
        job = await client.get_job("cce-1", job_id)
    (sent,) = fake.requests
    assert sent.url.raw_path.decode().split("?")[0] == raw
    assert sent.url.params["resourcePoolId"] == "cce-1"
    assert job.id == job_id


async def test_hostile_query_values_stay_values(fake: FakeAihc) -> None:
    fake.on("GET", "/api/v1/aijobs", ok({"result": {"jobs": []}}))
    async with fake.client() as client:
        await client.list_jobs("p&admin=1", queue="q=1#frag")
    (sent,) = fake.requests
    assert dict(sent.url.params) == {
        "resourcePoolId": "p&admin=1",
        "queue": "q=1#frag",
        "pageNo": "1",
        "pageSize": "100",
    }


@pytest.mark.parametrize("job_id", ["", ".", ".."])
async def test_ids_that_would_vanish_or_climb_are_refused(fake: FakeAihc, job_id: str) -> None:
    async with fake.client() as client:
        with pytest.raises(AihcError, match="may not be"):
            await client.get_job("cce-1", job_id)
    assert fake.requests == []
