"""How large the simulator's largest realistic AIHC answers are, per operation.

Run by hand: `.venv/bin/python bench/answer_sizes.py`. The figures set the per-operation caps in
`bot/aihc/sizes.py` (each about ten times the largest answer measured here) and go in the README.

The world: 2,000 jobs in one pool (pages of 100), plus 100 "fat" jobs as large as real ones get:
64 replicas (the simulator's and AIHC's maximum), a 4 KB command, 50 environment variables and 20
labels, run six simulated hours, so a list page, pods, events, metrics and nodes are at their
largest. Metrics are asked at one point a minute over the six hours (the bot asks 48 points).
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

import httpx
from pydantic import SecretStr

from bot.aihc.signer import BceAuth
from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, SimConfig, serve

START = 1_750_000_000.0


def fat_job(name: str, gpu: str) -> dict[str, Any]:
    """A create request as large as a real training job's."""
    command = "bash -c '" + " ".join(f"--arg-{i}=value-{i:04d}" for i in range(250)) + "'"
    return {
        "name": name,
        "queue": "default",
        "jobFramework": "PyTorchJob",
        "labels": [{"key": f"team.example.com/label-{i}", "value": f"v{i}"} for i in range(20)],
        "faultTolerance": True,
        "jobSpec": {
            "image": "registry.baidubce.com/aihc-aiak/aiak-megatron:v1.2.7",
            "command": command[:4096],
            "replicas": 64,
            "resources": [{"name": gpu, "quantity": 8}],
            "envs": [{"name": f"ENV_NUMBER_{i}", "value": "x" * 40} for i in range(50)],
        },
    }


async def measure(jobs: int) -> dict[str, int]:
    """Populate, create the fat job, run it a while, and return each operation's answer bytes."""
    sizes: dict[str, int] = {}
    config = SimConfig(seed=1, clock_speed=0.0, start=START)
    async with serve(config) as running:
        auth = BceAuth(DEFAULT_ACCESS_KEY, SecretStr(DEFAULT_SECRET_KEY))
        async with (
            httpx.AsyncClient(base_url=running.url, auth=auth, timeout=120) as client,
            running.control_client(timeout=120) as control,
        ):

            async def get(operation: str, path: str, **params: Any) -> dict[str, Any]:
                response = await client.get(path, params=params)
                assert response.status_code == 200, response.text
                sizes[operation] = max(sizes.get(operation, 0), len(response.content))
                body: dict[str, Any] = response.json()
                return body

            populated = await control.post("/_sim/populate", json={"pools": 1, "jobs": jobs})
            pool = populated.json()["pools"][0]
            await get("pool.get", f"/api/v1/resourcepools/{pool}")
            gpu = "baidu.com/a800_80g_cgpu"
            # A full page of fat jobs: the newest page of the list is all of them.
            for serial in range(100):
                created = await client.post(
                    "/api/v1/aijobs",
                    params={"resourcePoolId": pool},
                    json=fat_job(f"fat-job-{serial}", gpu),
                )
                assert created.status_code == 200, created.text
            job = created.json()["result"]["jobId"]
            await control.post("/_sim/clock/advance", json={"seconds": 6 * 3600})
            await get("pool.list", "/api/v1/resourcepools", pageSize=100)
            await get("pool.nodes", f"/api/v1/resourcepools/{pool}/nodes", pageSize=100)
            await get("queue.list", f"/api/v1/resourcepools/{pool}/queue", pageSize=100)
            await get("queue.get", f"/api/v1/resourcepools/{pool}/queue/default")
            for page in range(1, jobs // 100 + 2):
                await get(
                    "job.list", "/api/v1/aijobs", resourcePoolId=pool, pageNo=page, pageSize=100
                )
            body = await get("job.get", f"/api/v1/aijobs/{job}", resourcePoolId=pool)
            pod = body["result"]["podList"]["pods"][0]["objectMeta"]["name"]
            framework = {"resourcePoolId": pool, "jobFramework": "PyTorchJob"}
            await get("job.events", f"/api/v1/aijobs/{job}/events", **framework)
            await get("pod.events", f"/api/v1/aijobs/{job}/pods/{pod}/events", **framework)
            await get("job.nodes", f"/api/v1/aijobs/{job}/nodes", resourcePoolId=pool)
            await get(
                "job.metrics",
                f"/api/v1/aijobs/{job}/metrics",
                resourcePoolId=pool,
                metricType="GpuUsage",
                startTime=int(START),
                endTime=int(START) + 6 * 3600,
                timeStep=60,
            )
    return sizes


def main() -> None:
    """Print the largest answer of each operation."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=2_000)
    args = parser.parse_args()
    for operation, size in sorted(asyncio.run(measure(args.jobs)).items()):
        print(f"{operation:16} {size:>10,} bytes")


if __name__ == "__main__":
    main()
