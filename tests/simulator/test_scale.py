"""At 50,000 jobs in 20 pools the list still pages correctly (its speed is the bench's job)."""

from __future__ import annotations

from tests.simulator.conftest import Sim


async def test_fifty_thousand_jobs_page_newest_first(sim: Sim) -> None:
    summary = (await sim.ctl.post("/_sim/populate", json={"pools": 20, "jobs": 50_000})).json()
    assert summary["jobs"] == 50_000
    pool = summary["pools"][0]
    params = {"resourcePoolId": pool, "pageSize": 100}
    first = (await sim.api.get("/api/v1/aijobs", params=params)).json()["result"]
    assert first["total"] == 2_500
    assert len(first["jobs"]) == 100
    created = [j["createdAt"] for j in first["jobs"]]
    assert created == sorted(created, reverse=True)
    last = (await sim.api.get("/api/v1/aijobs", params={**params, "pageNo": 25})).json()["result"]
    assert len(last["jobs"]) == 100
    assert last["jobs"][-1]["createdAt"] <= created[-1]
    beyond = (await sim.api.get("/api/v1/aijobs", params={**params, "pageNo": 26})).json()
    assert beyond["result"]["jobs"] == []
    queues = (await sim.api.get(f"/api/v1/resourcepools/{pool}/queue")).json()["result"]["queues"]
    per_queue = 0
    for queue in queues:
        query = {"resourcePoolId": pool, "queue": queue["name"], "pageSize": 1}
        per_queue += (await sim.api.get("/api/v1/aijobs", params=query)).json()["result"]["total"]
    assert per_queue == 2_500
