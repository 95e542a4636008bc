"""The same seed and the same clock advances give the same world; another seed another."""

from __future__ import annotations

from typing import Any

import httpx

from bot.simulator import serve
from tests.simulator.conftest import config, signed


async def _observe(seed: int, advances: list[float]) -> list[Any]:
    seen: list[Any] = []
    async with (
        serve(config(seed=seed)) as running,
        signed(running.url) as api,
        httpx.AsyncClient(base_url=running.url) as ctl,
    ):
        for seconds in [0.0, *advances]:
            await ctl.post("/_sim/clock/advance", json={"seconds": seconds})
            pools = (await api.get("/api/v1/resourcepools")).json()["result"]
            seen.append(pools)
            for pool in pools["resourcePools"]:
                pool_id = pool["metadata"]["id"]
                jobs = (await api.get("/api/v1/aijobs", params={"resourcePoolId": pool_id})).json()
                seen.append(jobs["result"])
                job = jobs["result"]["jobs"][-1]
                params = {"resourcePoolId": pool_id, "jobFramework": "PyTorchJob"}
                pod = f"{job['name']}-master-0"
                for path in ("", "/events", f"/pods/{pod}/logs", f"/pods/{pod}/events"):
                    body = (
                        await api.get(f"/api/v1/aijobs/{job['jobId']}{path}", params=params)
                    ).json()
                    body.pop("requestId", None)
                    seen.append(body)
    return seen


async def test_the_same_seed_and_advances_give_the_same_world() -> None:
    advances = [30.0, 400.0]
    assert await _observe(7, advances) == await _observe(7, advances)


async def test_another_seed_gives_another_world() -> None:
    assert await _observe(7, []) != await _observe(8, [])
