"""A job id names its framework only when it says so; a v2 id (`job-…`) names none (issue 15)."""

from __future__ import annotations

from typing import Any

from bot.domain import JobFramework
from tests.aihc.fake import FakeAihc, ok

POOL = "cce-1"
V2_ID = "job-oeqpsJhwqq3k"


def test_only_a_framework_prefix_names_a_framework() -> None:
    assert JobFramework.for_job_id("pytorchjob-3f19") is JobFramework.PYTORCH
    assert JobFramework.for_job_id("mpijob-3f19") is JobFramework.MPI
    assert JobFramework.for_job_id(V2_ID) is None


async def _job(fake: FakeAihc, job_id: str, **fields: Any) -> Any:
    body = {"jobId": job_id, "name": "train", "status": "Running", **fields}
    fake.on("GET", f"/api/v1/aijobs/{job_id}", ok({"requestId": "r", "result": body}))
    async with fake.client() as client:
        return await client.get_job(POOL, job_id)


async def test_a_v2_job_without_a_framework_field_is_not_called_pytorch(fake: FakeAihc) -> None:
    assert (await _job(fake, V2_ID)).framework is None
    detailed = await _job(FakeAihc(), V2_ID, jobFramework="MPIJob")
    assert detailed.framework is JobFramework.MPI


async def _events_framework(fake: FakeAihc, job_id: str, framework: JobFramework | None) -> str:
    path = f"/api/v1/aijobs/{job_id}/events"
    fake.on("GET", path, ok({"events": [], "total": 0}))
    async with fake.client() as client:
        await client.job_events(POOL, job_id, framework=framework)
    return fake.calls("GET", path)[-1].url.params["jobFramework"]


async def test_events_send_the_framework_the_detail_gave(fake: FakeAihc) -> None:
    assert await _events_framework(fake, V2_ID, JobFramework.MPI) == "MPIJob"
    assert await _events_framework(FakeAihc(), "mpijob-1", None) == "MPIJob"
    # Nothing known: v1 requires the parameter, and PyTorchJob is the only framework v1 creates.
    assert await _events_framework(FakeAihc(), V2_ID, None) == "PyTorchJob"
