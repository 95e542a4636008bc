"""One request makes one job, against a service that ignores `clientToken` (AIHC-NOTES §6)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.aihc.client import AihcClient
from bot.aihc.errors import AihcNotFound
from bot.domain import JobSpec
from bot.simulator import serve
from tests.simulator.conftest import Sim, bot_client, config, job_request, signed

SPEC = JobSpec(name="made-once", image="img", command="true", queue="default")


@pytest.fixture
async def client(empty_sim: Sim) -> AsyncIterator[AihcClient]:
    """The bot's client on the empty world; waits between attempts take no real time."""
    async with bot_client(empty_sim) as aihc:
        yield aihc


async def _pool(sim: Sim) -> str:
    return next(iter((await sim.pools()).values()))


async def _faults(sim: Sim, **settings: float) -> None:
    assert (await sim.ctl.put("/_sim/faults", json=settings)).status_code == 200
    assert (await sim.ctl.post("/_sim/stats/reset", json={})).status_code == 200


async def _creates(sim: Sim) -> dict[str, int]:
    stats: dict[str, Any] = (await sim.ctl.get("/_sim/stats")).json()
    counts: dict[str, int] = stats["by_operation"].get("create_job", {})
    return counts


async def test_a_create_whose_answer_is_lost_after_the_job_was_made_yields_one_job(
    empty_sim: Sim, client: AihcClient
) -> None:
    pool = await _pool(empty_sim)
    await _faults(empty_sim, drop_after_rate=1.0, next_calls=1)
    ref = await client.create_job(pool, SPEC, client_token="slack-lost-answer")
    listed = await empty_sim.jobs(pool)
    assert [j["name"] for j in listed] == ["made-once"]
    assert ref.job_id == listed[0]["jobId"]
    assert ref.job_name == "made-once"
    assert ref.request_id.startswith("recovered")
    assert await _creates(empty_sim) == {"dropped": 1}


async def test_a_server_error_before_the_job_was_made_is_tried_again_and_makes_one_job(
    empty_sim: Sim, client: AihcClient
) -> None:
    pool = await _pool(empty_sim)
    await _faults(empty_sim, error_rate=1.0, error_status=503, next_calls=1)
    ref = await client.create_job(pool, SPEC, client_token="slack-busy")
    listed = await empty_sim.jobs(pool)
    assert [j["jobId"] for j in listed] == [ref.job_id]
    assert not ref.request_id.startswith("recovered")
    assert await _creates(empty_sim) == {"503": 1, "200": 1}


async def test_a_definite_refusal_is_not_tried_again(empty_sim: Sim, client: AihcClient) -> None:
    pool = await _pool(empty_sim)
    await _faults(empty_sim)
    with pytest.raises(AihcNotFound):
        await client.create_job(pool, SPEC.model_copy(update={"queue": "nope"}), client_token="t")
    assert await _creates(empty_sim) == {"404": 1}


async def test_the_same_request_again_names_the_job_it_made(
    empty_sim: Sim, client: AihcClient
) -> None:
    pool = await _pool(empty_sim)
    first = await client.create_job(pool, SPEC, client_token="slack-twice")
    again = await client.create_job(pool, SPEC, client_token="slack-twice")
    assert again.job_id == first.job_id
    assert len(await empty_sim.jobs(pool)) == 1


async def test_another_request_for_a_taken_name_is_refused(
    empty_sim: Sim, client: AihcClient
) -> None:
    from bot.aihc.errors import AihcConflict

    pool = await _pool(empty_sim)
    await client.create_job(pool, SPEC, client_token="slack-one")
    with pytest.raises(AihcConflict):
        await client.create_job(pool, SPEC, client_token="slack-two")


async def test_the_simulator_ignores_client_tokens_unless_told_to_replay_them(
    empty_sim: Sim,
) -> None:
    pool = await _pool(empty_sim)
    params = {"resourcePoolId": pool, "clientToken": "tok-1"}
    first = await empty_sim.api.post("/api/v1/aijobs", params=params, json=job_request("once"))
    again = await empty_sim.api.post("/api/v1/aijobs", params=params, json=job_request("once"))
    assert first.status_code == 200
    assert again.status_code == 409
    replaying = config(scenario="empty", replay_client_tokens=True)
    async with serve(replaying) as running, signed(running.url) as api:
        pools = (await api.get("/api/v1/resourcepools")).json()["result"]["resourcePools"]
        params["resourcePoolId"] = pools[0]["metadata"]["id"]
        one = await api.post("/api/v1/aijobs", params=params, json=job_request("once"))
        two = await api.post("/api/v1/aijobs", params=params, json=job_request("once"))
    assert one.json()["result"] == two.json()["result"]
