"""The same seed and the same clock advances give the same world; another seed another."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from bot.simulator import serve
from tests.simulator.conftest import config, signed

ROOT = Path(__file__).resolve().parents[2]


async def _observe(seed: int, advances: list[float]) -> list[Any]:
    seen: list[Any] = []
    async with (
        serve(config(seed=seed)) as running,
        signed(running.url) as api,
        running.control_client() as ctl,
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


def _observe_in_a_new_process(hash_seed: str) -> str:
    """Observe seed 7 in a fresh interpreter, as two runs of `aihc-bot simulator --seed 7` would."""
    script = (
        "import asyncio, json\n"
        "from tests.simulator.test_determinism import _observe\n"
        "print(json.dumps(asyncio.run(_observe(7, [30.0, 400.0])), sort_keys=True))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_separate_runs_with_the_same_seed_give_the_same_world() -> None:
    # String hashing differs between interpreters: nothing may depend on it.
    assert _observe_in_a_new_process("1") == _observe_in_a_new_process("2")
