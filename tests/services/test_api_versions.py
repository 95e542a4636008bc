"""The read service over AIHC API v2, which has no node list: refused alone, left out of `why`."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.aihc.client import AihcClient
from bot.aihc.connect import aihc_client
from bot.domain import ApiVersion
from bot.insight.waiting import is_waiting
from bot.services.errors import Unavailable
from bot.services.reads import ReadService
from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, Running
from bot.simulator.create import job_from_request
from bot.store import Store


@pytest.fixture
async def store(sqlite_template: Path, tmp_path: Path) -> AsyncIterator[Store]:
    """A migrated SQLite store."""
    path = tmp_path / "store.db"
    shutil.copyfile(sqlite_template, path)
    opened = Store.from_url(f"sqlite+aiosqlite:///{path}")
    yield opened
    await opened.dispose()


def _client(sim: Running, version: ApiVersion) -> AihcClient:
    return aihc_client(version, sim.url, DEFAULT_ACCESS_KEY, SecretStr(DEFAULT_SECRET_KEY))


async def test_v2_refuses_a_node_list_and_v1_gives_one(sim: Running, store: Store) -> None:
    async with _client(sim, ApiVersion.V2) as v2, _client(sim, ApiVersion.V1) as v1:
        pool = (await ReadService(aihc=v1, store=store).pools())[0]
        assert await ReadService(aihc=v1, store=store).nodes(pool)
        with pytest.raises(Unavailable) as refused:
            await ReadService(aihc=v2, store=store).nodes(pool)
    assert (refused.value.operation, refused.value.version) == ("pool.nodes", "v2")


async def test_why_in_v2_explains_without_nodes(sim: Running, store: Store) -> None:
    async with _client(sim, ApiVersion.V2) as aihc:
        reads = ReadService(aihc=aihc, store=store)
        waiting = [
            (pool, job)
            for pool in await reads.pools()
            for job in await aihc.all_jobs(pool.id)
            if is_waiting(job)
        ]
        assert waiting, "the demo world holds a waiting job"
        pool, job = waiting[0]
        report = await reads.why(pool, job)
    assert (report.job, report.status) == (job.name, job.status)


def _v2_job(sim: Running, name: str) -> tuple[str, str]:
    """Add a job created as AIHC API v2 names it (`job-…`); return its pool id and job id."""
    world = sim.simulator.world
    pool = next(iter(world.pools.values()))
    body = {"name": name, "queue": "default", "jobSpec": {"image": "img", "replicas": 1}}
    job = job_from_request(world, pool, body, sim.simulator.now(), v2_id=True)
    world.add_job(job)
    return pool.id, job.id


@pytest.mark.parametrize("version", list(ApiVersion))
async def test_a_v2_job_id_is_looked_up_as_an_id(
    sim: Running, store: Store, version: ApiVersion
) -> None:
    pool_id, job_id = _v2_job(sim, "v2-made")
    async with _client(sim, version) as aihc:
        reads = ReadService(aihc=aihc, store=store)
        pool = await reads.pool(pool_id)
        # No job is named its id: a name search alone would answer "not found".
        found = await reads.job(pool, job_id)
        named = await reads.job(pool, "v2-made")
    assert (found.id, found.queue) == (job_id, "default")
    assert named.id == job_id
