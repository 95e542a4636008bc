"""The read service over AIHC API v2, which has no node list: refused alone, left out of `why`."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from bot.aihc.client import AihcClient
from bot.aihc.connect import aihc_client
from bot.domain import ApiVersion, Job, JobStatus, Page, Pool
from bot.insight.waiting import is_waiting
from bot.services.actor import Actor
from bot.services.errors import Unavailable
from bot.services.reads import ReadService
from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, Running
from bot.simulator.create import job_from_request
from bot.store import Store

OWNER = Actor(team_id="T1", channel_id="C1", user_id="U1")


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


class _RecordingStatusLists(AihcClient):
    """The v1 client over the simulator, claiming (as v2 does) that AIHC filters job lists by
    status: it records the status each list asks for and answers with the unfiltered page.

    It proves the service's choice (ask AIHC, filter nothing of it locally), not v2's wire.
    """

    filters_job_status = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.asked: list[JobStatus | None] = []

    async def list_jobs(  # type: ignore[override]
        self, pool_id: str, *, status: JobStatus | None = None, **kwargs: Any
    ) -> Page[Job]:
        self.asked.append(status)
        return await super().list_jobs(pool_id, **kwargs)


async def _busiest_pool(reads: ReadService) -> Pool:
    return (await reads.pools())[0]


async def test_where_aihc_filters_by_status_the_status_is_sent_and_the_total_shown(
    sim: Running, store: Store
) -> None:
    async with _RecordingStatusLists(
        sim.url, DEFAULT_ACCESS_KEY, SecretStr(DEFAULT_SECRET_KEY)
    ) as aihc:
        reads = ReadService(aihc=aihc, store=store)
        pool = await _busiest_pool(reads)
        page = await reads.jobs_page(pool, offset=0, count=25, status=JobStatus.RUNNING)
        assert set(aihc.asked) == {JobStatus.RUNNING}
        assert not page.filtered
        assert page.total is not None
        # What AIHC answered is not filtered again: this fake sent every status.
        assert {job.status for job in page.jobs} != {JobStatus.RUNNING}
        aihc.asked.clear()
        mine = await reads.jobs_page(
            pool, offset=0, count=25, status=JobStatus.RUNNING, owner=OWNER
        )
        assert set(aihc.asked) == {JobStatus.RUNNING}
        assert mine.filtered
        assert mine.total is None


async def test_where_aihc_lists_every_status_the_page_is_filtered_here(
    sim: Running, store: Store
) -> None:
    # The v1 client refuses a status outright (AihcUnavailable): this passes only if none is sent.
    async with _client(sim, ApiVersion.V1) as aihc:
        reads = ReadService(aihc=aihc, store=store)
        pool = await _busiest_pool(reads)
        page = await reads.jobs_page(pool, offset=0, count=25, status=JobStatus.RUNNING)
    assert page.jobs
    assert {job.status for job in page.jobs} == {JobStatus.RUNNING}
    assert page.filtered
    assert page.total is None
