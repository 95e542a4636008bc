"""Every control route of DESIGN §3.4 does what its table says."""

from __future__ import annotations

from collections import Counter

from tests.simulator.conftest import Sim


async def test_reset_rebuilds_the_world_for_a_seed(sim: Sim) -> None:
    before = await sim.pools()
    other = (await sim.ctl.post("/_sim/reset", json={"seed": 8, "scenario": "demo"})).json()
    assert other["seed"] == 8
    assert sorted(other["pools"]) != sorted(before.values())
    back = (await sim.ctl.post("/_sim/reset", json={"seed": 7, "scenario": "demo"})).json()
    assert sorted(back["pools"]) == sorted(before.values())
    empty = (await sim.ctl.post("/_sim/reset", json={"seed": 7, "scenario": "empty"})).json()
    assert empty["jobs"] == 0
    assert len(empty["pools"]) == 1
    bad = await sim.ctl.post("/_sim/reset", json={"scenario": "chaos"})
    assert bad.status_code == 400


async def test_populate_builds_the_asked_mix(sim: Sim) -> None:
    body = {
        "pools": 3,
        "queues_per_pool": 2,
        "jobs": 600,
        "status_mix": {"Running": 0.5, "Failed": 0.25, "pending": 0.25},
    }
    summary = (await sim.ctl.post("/_sim/populate", json=body)).json()
    assert summary["jobs"] == 600
    assert len(summary["pools"]) == 3
    counts: Counter[str] = Counter()
    for pool in summary["pools"]:
        for page in range(1, 4):
            counts.update(j["status"] for j in await sim.jobs(pool, pageNo=page))
    assert sum(counts.values()) == 600
    assert set(counts) == {"Running", "Failed", "Pending"}
    assert 220 <= counts["Running"] <= 380


async def test_populate_refuses_nonsense(sim: Sim) -> None:
    for body in (
        {"jobs": -1},
        {"status_mix": {"Sleeping": 1}},
        {"status_mix": {"Running": 0}},
        {"pools": "many"},
    ):
        response = await sim.ctl.post("/_sim/populate", json=body)
        assert response.status_code == 400, body


async def test_forced_status_and_history(sim: Sim) -> None:
    job = await sim.job_named("resnet50-imagenet-1")
    for status in ("Restarting", "Running", "ManualTermination"):
        forced = await sim.ctl.post(f"/_sim/jobs/{job['jobId']}/status", json={"status": status})
        assert forced.status_code == 200
        assert await sim.status(job) == status
    history = (await sim.ctl.get(f"/_sim/jobs/{job['jobId']}/history")).json()["history"]
    assert [h["status"] for h in history][-3:] == ["Restarting", "Running", "ManualTermination"]
    unknown = await sim.ctl.post(f"/_sim/jobs/{job['jobId']}/status", json={"status": "Asleep"})
    assert unknown.status_code == 400
    missing = await sim.ctl.get("/_sim/jobs/pytorchjob-nope/history")
    assert missing.status_code == 404


async def test_clock_advance_moves_time_and_refuses_going_back(sim: Sim) -> None:
    first = (await sim.ctl.post("/_sim/clock/advance", json={"seconds": 90})).json()
    second = (await sim.ctl.post("/_sim/clock/advance", json={"seconds": 10})).json()
    assert second["epoch"] - first["epoch"] == 10
    assert first["now"] == "2025-06-15T15:08:10Z"
    backwards = await sim.ctl.post("/_sim/clock/advance", json={"seconds": -5})
    assert backwards.status_code == 400


async def test_faults_are_replaced_validated_and_shown(sim: Sim) -> None:
    set_to = {"error_rate": 0.2, "error_status": 503, "throttle_rate": 0.1, "latency_ms": 5}
    shown = (await sim.ctl.put("/_sim/faults", json=set_to)).json()
    assert shown == {**set_to, "drop_rate": 0.0, "drop_after_rate": 0.0, "next_calls": 0}
    cleared = (await sim.ctl.put("/_sim/faults", json={})).json()
    assert cleared["error_rate"] == 0.0
    for body in (
        {"error_rate": 2},
        {"error_status": 200},
        {"chaos": 1},
        {"latency_ms": "slow"},
        {"drop_after_rate": -1},
        {"next_calls": 1.5},
    ):
        response = await sim.ctl.put("/_sim/faults", json=body)
        assert response.status_code == 400, body


async def test_stats_count_operations_and_statuses_until_reset(sim: Sim) -> None:
    pool = next(iter((await sim.pools()).values()))
    await sim.jobs(pool)
    await sim.api.get("/api/v1/aijobs/pytorchjob-nope", params={"resourcePoolId": pool})
    await sim.ctl.get("/api/v1/resourcepools")
    stats = (await sim.ctl.get("/_sim/stats")).json()
    assert stats["operations"] == {"get_job": 1, "list_jobs": 1, "list_pools": 2}
    assert stats["statuses"] == {"200": 2, "403": 1, "404": 1}
    assert stats["by_operation"]["list_pools"] == {"200": 1, "403": 1}
    assert stats["total"] == 4
    reset = (await sim.ctl.post("/_sim/stats/reset", json={})).json()
    assert reset["total"] == 0
    assert (await sim.ctl.get("/_sim/stats")).json()["operations"] == {}
