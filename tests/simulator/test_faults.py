"""Injected faults reach the v1 routes as a real service's failures would, and are counted."""

from __future__ import annotations

import httpx
import pytest

from tests.simulator.conftest import Sim, job_request


async def _faults(sim: Sim, **settings: float) -> None:
    response = await sim.ctl.put("/_sim/faults", json=settings)
    assert response.status_code == 200, response.text


async def test_errors_answer_the_configured_status_in_bce_style(sim: Sim) -> None:
    await _faults(sim, error_rate=1.0, error_status=503)
    response = await sim.api.get("/api/v1/resourcepools")
    assert response.status_code == 503
    assert response.json()["code"] == "ServiceUnavailable"
    await _faults(sim, error_rate=1.0)
    response = await sim.api.get("/api/v1/resourcepools")
    assert response.status_code == 500
    assert response.json()["code"] == "InternalError"


async def test_throttling_answers_429_with_retry_after(sim: Sim) -> None:
    await _faults(sim, throttle_rate=1.0)
    response = await sim.api.get("/api/v1/resourcepools")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1"
    assert "limit exceeded" in response.json()["message"]


async def test_dropped_connections_get_no_answer(sim: Sim) -> None:
    await _faults(sim, drop_rate=1.0)
    with pytest.raises(httpx.RemoteProtocolError):
        await sim.api.get("/api/v1/resourcepools")
    stats = (await sim.ctl.get("/_sim/stats")).json()
    assert stats["statuses"] == {"dropped": 1}


async def test_added_latency_still_answers(sim: Sim) -> None:
    await _faults(sim, latency_ms=20)
    response = await sim.api.get("/api/v1/resourcepools")
    assert response.status_code == 200


async def test_a_partial_error_rate_fails_some_calls_not_all(sim: Sim) -> None:
    await _faults(sim, error_rate=0.5)
    statuses = [(await sim.api.get("/api/v1/resourcepools")).status_code for _ in range(40)]
    assert 5 <= statuses.count(500) <= 35
    assert statuses.count(200) == 40 - statuses.count(500)


async def test_faults_leave_the_control_api_alone(sim: Sim) -> None:
    await _faults(sim, error_rate=1.0, drop_rate=1.0)
    assert (await sim.ctl.get("/_sim/stats")).status_code == 200


async def test_unknown_v1_paths_answer_in_bce_style(sim: Sim) -> None:
    response = await sim.api.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["code"] == "InvalidURI"


async def test_an_answer_dropped_after_the_service_acted_leaves_the_job_made(
    empty_sim: Sim,
) -> None:
    pool = next(iter((await empty_sim.pools()).values()))
    params = {"resourcePoolId": pool, "clientToken": "slack-req-1"}
    await _faults(empty_sim, drop_after_rate=1.0, next_calls=1)
    with pytest.raises(httpx.RemoteProtocolError):
        await empty_sim.api.post("/api/v1/aijobs", params=params, json=job_request("lost"))
    listed = await empty_sim.jobs(pool)
    assert [j["name"] for j in listed] == ["lost"]
    again = await empty_sim.api.post("/api/v1/aijobs", params=params, json=job_request("lost"))
    assert again.status_code == 409
    stats = (await empty_sim.ctl.get("/_sim/stats")).json()["by_operation"]
    assert stats["create_job"] == {"dropped": 1, "409": 1}
