"""Every AIHC answer is read up to a cap per operation, never further, and refused past it."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.aihc.errors import AihcAnswerTooLarge, AihcServerError
from bot.aihc.retry import RetryPolicy
from tests.aihc.fake import FakeAihc, ok

JOB_PATH = "/api/v1/aijobs/pytorchjob-x"
LIST_PATH = "/api/v1/aijobs"
MB = 1 << 20
CHUNK = 64 * 1024


class Served:
    """A body streamed in chunks that counts how much of it the client pulled."""

    def __init__(self, head: bytes, filler: bytes, total: int, tail: bytes = b"") -> None:
        self.head, self.filler, self.total, self.tail = head, filler, total, tail
        self.pulled = 0

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._chunks()

    async def _chunks(self) -> AsyncIterator[bytes]:
        """Yield the head, filler up to `total` bytes, then the tail."""
        self.pulled += len(self.head)
        yield self.head
        left = self.total - len(self.head) - len(self.tail)
        while left > 0:
            part = self.filler[: min(left, len(self.filler))]
            left -= len(part)
            self.pulled += len(part)
            yield part
        self.pulled += len(self.tail)
        yield self.tail


def json_body(total: int) -> Served:
    """A valid job answer of `total` bytes: one long string field pads it."""
    return Served(
        b'{"requestId": "rid-big", "result": {"jobId": "pytorchjob-x", "pad": "',
        b"a" * CHUNK,
        total,
        b'"}}',
    )


def streamed(served: Served, **headers: str) -> httpx.Response:
    """A 200 answer whose body is pulled chunk by chunk (no length unless given)."""
    return httpx.Response(200, headers={"x-bce-request-id": "rid-big", **headers}, content=served)


async def test_an_answer_far_over_the_cap_is_refused_after_reading_little_of_it(
    fake: FakeAihc,
) -> None:
    served = json_body(48 * MB)
    fake.on("GET", JOB_PATH, streamed(served))
    async with fake.client(retry=RetryPolicy(attempts=1)) as client:
        with pytest.raises(AihcAnswerTooLarge) as caught:
            await client.get_job("cce-1", "pytorchjob-x")
    error = caught.value
    assert "job.get" in str(error)
    assert "rid-big" in str(error)
    assert "\n" not in str(error)
    assert error.request_id == "rid-big"
    assert served.pulled < 48 * MB // 2


async def test_an_announced_length_over_the_cap_is_refused_unread(fake: FakeAihc) -> None:
    served = json_body(48 * MB)
    fake.on("GET", JOB_PATH, streamed(served, **{"content-length": str(48 * MB)}))
    async with fake.client(retry=RetryPolicy(attempts=1)) as client:
        with pytest.raises(AihcAnswerTooLarge) as caught:
            await client.get_job("cce-1", "pytorchjob-x")
    assert caught.value.size == 48 * MB
    assert served.pulled == 0


async def test_a_page_of_a_hundred_large_jobs_is_well_within_its_cap(fake: FakeAihc) -> None:
    # About what the simulator sends for 100 jobs with 4 KB commands and 50 variables each.
    job = {"jobId": "pytorchjob-x", "name": "n", "status": "Running", "command": "c" * 9_000}
    jobs = [{**job, "jobId": f"pytorchjob-{i}"} for i in range(100)]
    fake.on("GET", LIST_PATH, ok({"result": {"jobs": jobs, "total": 100}}))
    async with fake.client() as client:
        page = await client.list_jobs("cce-1")
    assert len(page.items) == 100


def gzip_bomb(decoded: int) -> bytes:
    """A small gzip body that inflates to a JSON answer of `decoded` bytes."""
    packer = zlib.compressobj(wbits=31)
    parts = [packer.compress(b'{"result": {"jobId": "pytorchjob-x", "pad": "')]
    block = b"a" * MB
    for _ in range(decoded // MB):
        parts.append(packer.compress(block))
    parts.append(packer.compress(b'"}}'))
    parts.append(packer.flush())
    return b"".join(parts)


async def test_a_compressed_answer_is_capped_as_it_inflates(fake: FakeAihc) -> None:
    bomb = gzip_bomb(200 * MB)
    assert len(bomb) < MB
    served = Served(bomb, b"", len(bomb))
    gzipped = {"content-encoding": "gzip"}
    fake.on("GET", JOB_PATH, httpx.Response(200, headers=gzipped, content=served))
    async with fake.client(retry=RetryPolicy(attempts=1)) as client:
        tracemalloc.start()
        try:
            with pytest.raises(AihcAnswerTooLarge):
                await client.get_job("cce-1", "pytorchjob-x")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    # What was inflated, not what the answer would have inflated to, is what was held.
    assert peak < 48 * MB


async def test_a_compressed_answer_within_its_cap_reads_whole(fake: FakeAihc) -> None:
    packed = gzip.compress(b'{"result": {"jobId": "pytorchjob-x", "status": "Running"}}')
    served = Served(packed, b"", len(packed))
    gzipped = {"content-encoding": "gzip"}
    fake.on("GET", JOB_PATH, httpx.Response(200, headers=gzipped, content=served))
    async with fake.client() as client:
        assert (await client.get_job("cce-1", "pytorchjob-x")).id == "pytorchjob-x"


async def test_an_error_answer_is_read_only_as_far_as_its_summary_needs(fake: FakeAihc) -> None:
    for size in (140 * 1024, MB):
        page = Served(b"<html><head><title>", b"<title>" * 1024, size, b"</title></html>")
        fake = FakeAihc()
        fake.on("GET", JOB_PATH, httpx.Response(502, content=page))
        async with fake.client(retry=RetryPolicy(attempts=1)) as client:
            with pytest.raises(AihcServerError) as caught:
                await client.get_job("cce-1", "pytorchjob-x")
        assert caught.value.message.startswith("non-JSON answer")
        assert page.pulled <= 64 * 1024 + len(page.filler)
