"""Paging walks every page, stops on a short page, and never trusts a total."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from bot.aihc.errors import AihcListTooLong
from bot.aihc.paging import MAX_ITEMS, window
from bot.domain import Page
from tests.aihc.fake import FakeAihc, ok


def jobs_page(ids: range, total: int) -> dict[str, Any]:
    jobs = [{"jobId": f"pytorchjob-{i}", "name": f"j{i}", "status": "Running"} for i in ids]
    return {"result": {"jobs": jobs, "total": total}}


async def test_walks_until_a_short_page_whatever_the_total_says(fake: FakeAihc) -> None:
    def serve(request: httpx.Request) -> httpx.Response:
        page_no = int(request.url.params["pageNo"])
        size = int(request.url.params["pageSize"])
        start = (page_no - 1) * size
        return ok(jobs_page(range(start, min(start + size, 250)), total=3))

    fake.on("GET", "/api/v1/aijobs", serve)
    async with fake.client() as client:
        jobs = await client.all_jobs("cce-1")
    assert [j.id for j in jobs] == [f"pytorchjob-{i}" for i in range(250)]
    assert [r.url.params["pageNo"] for r in fake.requests] == ["1", "2", "3"]
    assert {r.url.params["order"] for r in fake.requests} == {"desc"}


async def test_an_exact_multiple_costs_one_empty_page(fake: FakeAihc) -> None:
    fake.on("GET", "/api/v1/aijobs", ok(jobs_page(range(100), 100)), ok(jobs_page(range(0), 100)))
    async with fake.client() as client:
        jobs = await client.all_jobs("cce-1")
    assert len(jobs) == 100
    assert len(fake.requests) == 2


async def test_unusable_entries_do_not_make_a_page_look_short(fake: FakeAihc) -> None:
    first = jobs_page(range(99), 0)
    first["result"]["jobs"].append({"name": "no id"})
    fake.on("GET", "/api/v1/aijobs", ok(first), ok(jobs_page(range(100, 105), 0)))
    async with fake.client() as client:
        jobs = await client.all_jobs("cce-1")
    assert len(jobs) == 104
    assert len(fake.requests) == 2


async def test_a_server_that_ignores_page_no_does_not_loop_forever(fake: FakeAihc) -> None:
    fake.on(
        "GET",
        "/api/v1/resourcepools/p/queue",
        ok({"result": {"queues": [{"name": f"q{i}"} for i in range(100)]}}),
    )
    async with fake.client() as client:
        queues = await client.all_queues("p")
    assert len(queues) == 100
    assert len(fake.requests) == 2


async def test_pools_and_nodes_are_walked_too(fake: FakeAihc) -> None:
    pools = [{"metadata": {"id": f"cce-{i}"}} for i in range(3)]
    fake.on("GET", "/api/v1/resourcepools", ok({"result": {"resourcePools": pools, "total": 99}}))
    fake.on("GET", "/api/v1/resourcepools/cce-0/nodes", ok({"result": {"nodes": [{}], "total": 9}}))
    async with fake.client() as client:
        assert [p.id for p in await client.all_pools()] == ["cce-0", "cce-1", "cce-2"]
        assert len(await client.all_nodes("cce-0")) == 1
    assert len(fake.requests) == 2


async def test_pages_larger_than_aihc_serves_are_not_mistaken_for_the_last(
    fake: FakeAihc,
) -> None:
    def serve(request: httpx.Request) -> httpx.Response:
        page_no = int(request.url.params["pageNo"])
        size = min(int(request.url.params["pageSize"]), 100)
        start = (page_no - 1) * size
        return ok(jobs_page(range(start, min(start + size, 250)), total=250))

    fake.on("GET", "/api/v1/aijobs", serve)
    async with fake.client() as client:
        pages = [page async for page in client.job_pages("cce-1", page_size=500, max_pages=10)]
    assert sum(len(p.items) for p in pages) == 250
    assert {r.url.params["pageSize"] for r in fake.requests} == {"100"}


def endless_jobs(request: httpx.Request) -> httpx.Response:
    """A pool whose job list never ends: every page is full and new."""
    page_no = int(request.url.params["pageNo"])
    return ok(jobs_page(range(page_no * 100, page_no * 100 + 100), total=10**9))


async def test_a_walk_that_collects_stops_past_its_limit(fake: FakeAihc) -> None:
    fake.on("GET", "/api/v1/aijobs", endless_jobs)
    async with fake.client() as client:
        with pytest.raises(AihcListTooLong) as caught:
            await client.all_jobs("cce-1", limit=1_000)
        assert caught.value.limit == 1_000
        assert len(fake.requests) == 11
        with pytest.raises(AihcListTooLong):
            await client.all_jobs("cce-1")
    # By default a few thousand entries at most, never the 10,000 pages of before.
    assert len(fake.requests) <= 11 + MAX_ITEMS // 100 + 1


async def test_a_list_of_exactly_the_limit_is_whole(fake: FakeAihc) -> None:
    fake.on(
        "GET",
        "/api/v1/aijobs",
        ok(jobs_page(range(100), 200)),
        ok(jobs_page(range(100, 200), 200)),
        ok(jobs_page(range(0), 200)),
    )
    async with fake.client() as client:
        assert len(await client.all_jobs("cce-1", limit=200)) == 200


async def test_a_server_that_sends_everything_at_once_is_refused_after_one_page(
    fake: FakeAihc,
) -> None:
    fake.on("GET", "/api/v1/aijobs", ok(jobs_page(range(5_000), 5_000)))
    async with fake.client() as client:
        with pytest.raises(AihcListTooLong):
            await client.all_jobs("cce-1", limit=2_000)
    assert len(fake.requests) == 1


async def test_a_page_walk_stops_at_its_page_bound(fake: FakeAihc) -> None:
    fake.on("GET", "/api/v1/aijobs", endless_jobs)
    async with fake.client() as client:
        pages = [page async for page in client.job_pages("cce-1", max_pages=7)]
    assert len(pages) == 7
    assert len(fake.requests) == 7


def _list(size: int) -> Any:
    """Fetch pages of a list of `size` entries numbered from 0; record the pages asked for."""
    asked: list[int] = []

    async def fetch(page_no: int, page_size: int) -> Page[int]:
        asked.append(page_no)
        start = (page_no - 1) * page_size
        items = tuple(range(start, min(start + page_size, size)))
        return Page(items=items, page_no=page_no, page_size=page_size, received=len(items))

    return fetch, asked


async def test_a_window_reads_only_the_pages_around_its_offset() -> None:
    fetch, asked = _list(10_000)
    read = await window(fetch, offset=4_250, count=25, max_pages=2)
    assert list(read.items) == list(range(4_250, 4_275))
    assert (read.start, read.end, read.exhausted, asked) == (4_250, 4_275, False, [43])
    asked.clear()
    straddling = await window(fetch, offset=90, count=25, max_pages=2)
    assert list(straddling.items) == list(range(90, 115))
    assert asked == [1, 2]


async def test_a_filtered_window_stops_after_its_pages_and_says_where() -> None:
    fetch, asked = _list(10_000)
    read = await window(fetch, offset=0, count=25, max_pages=5, keep=lambda n: n % 400 == 7)
    assert (list(read.items), read.end, read.exhausted) == ([7, 407], 500, False)
    assert asked == [1, 2, 3, 4, 5]
    asked.clear()
    nxt = await window(fetch, offset=read.end, count=25, max_pages=5, keep=lambda n: n % 400 == 7)
    assert (list(nxt.items), nxt.end) == ([807], 1_000)
    assert asked == [6, 7, 8, 9, 10]


async def test_a_window_at_the_end_of_the_list_is_exhausted() -> None:
    fetch, _ = _list(130)
    read = await window(fetch, offset=100, count=25, max_pages=2)
    assert (list(read.items), read.end, read.exhausted) == (list(range(100, 125)), 125, False)
    tail = await window(fetch, offset=125, count=25, max_pages=2)
    assert (list(tail.items), tail.end, tail.exhausted) == (list(range(125, 130)), 130, True)
    last_matches = await window(fetch, offset=100, count=2, max_pages=2, keep=lambda n: n >= 128)
    assert (list(last_matches.items), last_matches.exhausted) == ([128, 129], True)


async def test_a_server_that_ignores_page_numbers_ends_the_window() -> None:
    async def same(page_no: int, page_size: int) -> Page[int]:
        return Page(items=tuple(range(100)), page_no=1, page_size=page_size, received=100)

    read = await window(same, offset=0, count=25, max_pages=5, keep=lambda n: n > 1_000)
    assert (list(read.items), read.exhausted) == ([], True)
