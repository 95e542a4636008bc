"""One command walks a bounded part of a list: name lookups and listings stop with a clear error."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from bot.aihc.client import AihcClient
from bot.aihc.limits import Limits
from bot.domain import JobStatus, Pool
from bot.services.errors import NotAmongNewest, NotFound, ServiceError, TooMany
from bot.services.reads import FILTER_READS, WALK_LIMIT, ReadService
from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, SimConfig, serve
from bot.store import Store
from tests.aihc.fake import FakeAihc, ok

JOBS = 3_000
"""More jobs than one command may walk."""


@dataclass
class World:
    """A pool of JOBS jobs in the simulator, and a read service on it."""

    reads: ReadService
    pool: Pool
    names: list[str]
    """The pool's job names, newest first."""
    control: httpx.AsyncClient

    async def list_calls(self) -> int:
        """Return how many job-list pages were asked for since the last call.

        The simulator counts calls by its own operation names (`list_jobs`), not the client's.
        """
        stats: dict[str, Any] = (await self.control.get("/_sim/stats")).json()
        assert (await self.control.post("/_sim/stats/reset", json={})).status_code == 200
        return int(stats["operations"].get("list_jobs", 0))


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    """Populate one pool with JOBS jobs; read it through the service a command uses."""
    async with (
        serve(SimConfig(seed=3, clock_speed=0.0)) as running,
        running.control_client(timeout=60) as control,
    ):
        populated = await control.post("/_sim/populate", json={"pools": 1, "jobs": JOBS})
        assert populated.status_code == 200, populated.text
        limits = Limits(rate_per_second=10_000, burst=10_000)
        secret = SecretStr(DEFAULT_SECRET_KEY)
        async with AihcClient(running.url, DEFAULT_ACCESS_KEY, secret, limits=limits) as aihc:
            store = Store.from_url(f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}")
            pool = (await aihc.all_pools())[0]
            names = [job.name for job in await aihc.all_jobs(pool.id)]
            assert (await control.post("/_sim/stats/reset", json={})).status_code == 200
            try:
                yield World(ReadService(aihc=aihc, store=store), pool, names, control)
            finally:
                await store.dispose()


async def test_a_name_lookup_does_not_walk_the_whole_pool(world: World) -> None:
    oldest = world.names[-1]
    with pytest.raises(ServiceError):
        await world.reads.job(world.pool, oldest)
    assert await world.list_calls() < JOBS // 100


async def test_a_name_past_the_bound_is_not_found_among_the_newest(world: World) -> None:
    with pytest.raises(NotAmongNewest) as caught:
        await world.reads.job(world.pool, world.names[-1])
    assert isinstance(caught.value, NotFound)  # worded as "not found" wherever that is worded
    assert (caught.value.kind, caught.value.ref) == ("job", world.names[-1])
    assert caught.value.searched == WALK_LIMIT
    assert await world.list_calls() <= WALK_LIMIT // 100 + 1


async def test_a_name_within_the_bound_is_found(world: World) -> None:
    name = world.names[WALK_LIMIT // 2]
    assert world.names.count(name) == 1
    job = await world.reads.job(world.pool, name)
    assert job.name == name
    assert await world.list_calls() <= WALK_LIMIT // 100 + 1


async def test_a_listing_reads_only_the_pages_its_page_needs(world: World) -> None:
    first = await world.reads.jobs_page(world.pool, offset=0, count=25)
    assert [job.name for job in first.jobs] == world.names[:25]
    assert (first.start, first.end, first.more, first.filtered) == (0, 25, True, False)
    assert await world.list_calls() == 1
    far = await world.reads.jobs_page(world.pool, offset=2_950, count=25)
    assert [job.name for job in far.jobs] == world.names[2_950:2_975]
    assert (far.end, far.more) == (2_975, True)
    assert await world.list_calls() == 1
    # A full last page cannot be told from one with more behind it: More then finds nothing.
    last = await world.reads.jobs_page(world.pool, offset=2_975, count=25)
    assert [job.name for job in last.jobs] == world.names[2_975:]
    after = await world.reads.jobs_page(world.pool, offset=last.end, count=25)
    assert (after.jobs, after.more) == ([], False)
    assert await world.list_calls() == 2
    straddling = await world.reads.jobs_page(world.pool, offset=90, count=25)
    assert [job.name for job in straddling.jobs] == world.names[90:115]
    assert await world.list_calls() == 2


async def test_a_filtered_listing_reads_a_bounded_number_of_pages(world: World) -> None:
    rare = await world.reads.jobs_page(world.pool, offset=0, count=25, status=JobStatus.UNKNOWN)
    assert (rare.jobs, rare.start, rare.end, rare.more) == ([], 0, FILTER_READS * 100, True)
    assert await world.list_calls() == FILTER_READS
    # The newest jobs of this world are pending: three are found on the first page.
    pending = await world.reads.jobs_page(world.pool, offset=0, count=3, status=JobStatus.PENDING)
    assert [job.status for job in pending.jobs] == [JobStatus.PENDING] * 3
    assert pending.end == world.names.index(pending.jobs[-1].name) + 1
    assert pending.more
    assert await world.list_calls() == 1


async def test_pools_queues_and_nodes_are_bounded_too() -> None:
    def endless(key: str) -> Any:
        def serve_page(request: httpx.Request) -> httpx.Response:
            start = int(request.url.params["pageNo"]) * 100
            # Pools, queues and nodes, each told apart by its own id field.
            items = [
                {"metadata": {"id": f"cce-{i}"}, "name": f"q{i}", "instanceName": f"n{i}"}
                for i in range(start, start + 100)
            ]
            return ok({"result": {key: items}})

        return serve_page

    fake = FakeAihc()
    fake.on("GET", "/api/v1/resourcepools", endless("resourcePools"))
    fake.on("GET", "/api/v1/resourcepools/p/queue", endless("queues"))
    fake.on("GET", "/api/v1/resourcepools/p/nodes", endless("nodes"))
    async with fake.client() as aihc:
        store = Store.from_url("sqlite+aiosqlite:///:memory:")
        reads = ReadService(aihc=aihc, store=store)
        pool = Pool(id="p", name="p")
        for kind, call in (
            ("pool", reads.pools()),
            ("queue", reads.queues(pool)),
            ("node", reads.nodes(pool)),
        ):
            with pytest.raises(TooMany) as caught:
                await call
            assert caught.value.kind == kind
        await store.dispose()
    assert len(fake.requests) <= 3 * (WALK_LIMIT // 100 + 1)
