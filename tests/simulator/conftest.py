"""A simulator on loopback with a frozen clock, a signed client and an unsigned control client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from aiohttp.typedefs import Middleware
from pydantic import SecretStr

from bot.aihc.client import AihcClient
from bot.aihc.connect import aihc_client
from bot.aihc.limits import Limits
from bot.aihc.signer import BceAuth
from bot.domain import ApiVersion
from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, Running, SimConfig, serve
from tests.shapes import suite_shapes

START = 1_750_000_000.0
SEED = 7


def config(**overrides: Any) -> SimConfig:
    """A frozen-clock config: time moves only through /_sim/clock/advance."""
    values: dict[str, Any] = {
        "seed": SEED,
        "clock_speed": 0.0,
        "start": START,
        "shapes": suite_shapes(),
    }
    values.update(overrides)
    return SimConfig(**values)


def signed(
    url: str, ak: str = DEFAULT_ACCESS_KEY, sk: str = DEFAULT_SECRET_KEY
) -> httpx.AsyncClient:
    """An httpx client that signs every request with bce-auth-v1."""
    return httpx.AsyncClient(base_url=url, auth=BceAuth(ak, SecretStr(sk)), timeout=30)


@dataclass
class Sim:
    """A running simulator with its two clients (the control one carries the run's token)."""

    running: Running
    api: httpx.AsyncClient
    ctl: httpx.AsyncClient

    async def advance(self, seconds: float) -> None:
        """Move simulated time forward."""
        response = await self.ctl.post("/_sim/clock/advance", json={"seconds": seconds})
        assert response.status_code == 200

    async def pools(self) -> dict[str, str]:
        """Map pool name → id."""
        body = (await self.api.get("/api/v1/resourcepools")).json()
        return {p["metadata"]["name"]: p["metadata"]["id"] for p in body["result"]["resourcePools"]}

    async def jobs(self, pool: str, **params: Any) -> list[dict[str, Any]]:
        """Return one page of a pool's jobs (100 newest by default)."""
        query = {"resourcePoolId": pool, "pageSize": 100, **params}
        response = await self.api.get("/api/v1/aijobs", params=query)
        assert response.status_code == 200, response.text
        jobs: list[dict[str, Any]] = response.json()["result"]["jobs"]
        return jobs

    async def job_named(self, name: str) -> dict[str, Any]:
        """Find a job by name in any pool."""
        for pool in (await self.pools()).values():
            for job in await self.jobs(pool):
                if job["name"] == name:
                    return job
        raise AssertionError(f"no job named {name}")

    async def status(self, job: dict[str, Any]) -> str:
        """Read a job's current status through the detail operation."""
        response = await self.api.get(
            f"/api/v1/aijobs/{job['jobId']}", params={"resourcePoolId": job["resourcePoolId"]}
        )
        status: str = response.json()["result"]["status"]
        return status


@asynccontextmanager
async def running_sim(outer: Sequence[Middleware] = (), **overrides: Any) -> AsyncIterator[Sim]:
    """Serve a simulator made by `config(**overrides)` with its two clients (`outer`: as
    `serve` takes them)."""
    async with (
        serve(config(**overrides), outer=outer) as running,
        signed(running.url) as api,
        running.control_client(timeout=60) as ctl,
    ):
        yield Sim(running, api, ctl)


@pytest.fixture
async def sim() -> AsyncIterator[Sim]:
    """The demo world, seed 7, clock frozen at START."""
    async with running_sim() as running:
        yield running


@pytest.fixture
async def empty_sim() -> AsyncIterator[Sim]:
    """The empty world: one pool, its root and default queues, no jobs."""
    async with running_sim(scenario="empty") as running:
        yield running


async def _no_wait(seconds: float) -> None:
    del seconds


@asynccontextmanager
async def bot_client(sim: Sim, version: ApiVersion = ApiVersion.V1) -> AsyncIterator[AihcClient]:
    """The bot's client (of AIHC API `version`) pointed at `sim`, waiting no real time between
    retries."""
    async with aihc_client(
        version,
        sim.running.url,
        DEFAULT_ACCESS_KEY,
        SecretStr(DEFAULT_SECRET_KEY),
        sleep=_no_wait,
        limits=Limits(rate_per_second=10_000, burst=10_000),
    ) as aihc:
        yield aihc


@pytest.fixture
async def client(sim: Sim) -> AsyncIterator[AihcClient]:
    """The bot's client on this module's `sim`."""
    async with bot_client(sim) as aihc:
        yield aihc


def job_request(name: str, **extra: Any) -> dict[str, Any]:
    """A job create body like the document's example."""
    body: dict[str, Any] = {
        "name": name,
        "queue": "default",
        "priority": "normal",
        "jobFramework": "PyTorchJob",
        "jobSpec": {
            "command": "bash /workspace/Megatron-LM/examples/pretrain_llama.sh",
            "image": "registry.baidubce.com/aihc-aiak/aiak-megatron:v1.2.7",
            "replicas": 2,
            "resources": [{"name": "baidu.com/a800_80g_cgpu", "quantity": 8}],
            "enableRDMA": True,
            "envs": [{"name": "CUDA_DEVICE_MAX_CONNECTIONS", "value": "1"}],
        },
    }
    body.update(extra)
    return body
