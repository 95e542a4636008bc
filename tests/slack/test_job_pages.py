"""`jobs`, `--mine` and *More* read only the AIHC pages the page a person sees needs."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.workspace import block_actions_payload
from bot.workspace.model import ResponsePost
from tests.calls import calls
from tests.slack.harness import Stack, running_stack
from tests.slack.test_read_commands import seen

JOBS = 10_000
PARALLEL = 20


@dataclass
class Pool:
    """A bot on a simulator whose one pool holds JOBS jobs."""

    stack: Stack
    id: str
    names: list[str]
    """The first 1,000 job names, newest first."""

    async def calls(self) -> dict[str, int]:
        """Return the AIHC calls per operation since the last call, and start counting again."""
        stats: dict[str, Any] = await self.stack.sim_control("GET", "/_sim/stats")
        await self.stack.sim_control("POST", "/_sim/stats/reset")
        return dict(calls(stats))

    async def more(self, answer: ResponsePost, key: str) -> ResponsePost:
        """Click the answer's More button; return the answer it brings."""
        url = self.stack.slack.response_url(key, channel="C0001", user="U0001")
        payload = block_actions_payload("aihc.list.more", response_url=url, message=answer.body)
        response = await self.stack.sender.block_actions(payload)
        assert response.status_code == 200
        return await self.stack.answer(key)


@pytest.fixture
async def pool(tmp_path: Path, api_version: str) -> AsyncIterator[Pool]:
    """Populate one pool with JOBS jobs; no command has run yet, so no pool list is cached."""
    async with running_stack(tmp_path, aihc_api_version=api_version) as stack:
        populated = await stack.sim_control("POST", "/_sim/populate", pools=1, jobs=JOBS)
        pool_id = populated["pools"][0]
        names: list[str] = []
        for page_no in range(1, 11):
            page = await stack.runtime.aihc.list_jobs(
                pool_id, order_by="createdAt", order="desc", page_no=page_no, page_size=100
            )
            names.extend(job.name for job in page.items)
        await stack.sim_control("POST", "/_sim/stats/reset")
        yield Pool(stack, pool_id, names)


def _rows(answer: ResponsePost) -> str:
    return seen(answer).replace("-", "–")


def _has_more(answer: ResponsePost) -> bool:
    return "aihc.list.more" in str(answer.body.get("blocks"))


async def test_a_page_and_its_more_cost_one_or_two_list_calls(pool: Pool) -> None:
    first = await pool.stack.ask(f"jobs --pool {pool.id}")
    assert "1–25" in _rows(first)
    assert pool.names[0] in seen(first)
    assert pool.names[24] in seen(first)
    assert pool.names[25] not in seen(first)
    assert (await pool.calls())["list_jobs"] <= 2

    second = await pool.more(first, "more-1")
    assert "26–50" in _rows(second)
    assert pool.names[25] in seen(second)
    assert pool.names[0] not in seen(second)
    assert (await pool.calls())["list_jobs"] <= 2
    assert _has_more(second)


async def test_mine_reads_a_bounded_number_of_pages_per_click(pool: Pool) -> None:
    nothing = await pool.stack.ask(f"jobs --pool {pool.id} --mine")
    assert re.search(r"No job.*1–500", _rows(nothing)), seen(nothing)
    assert _has_more(nothing)
    assert (await pool.calls())["list_jobs"] <= 5

    further = await pool.more(nothing, "more-mine")
    assert re.search(r"No job.*501–1,?000", _rows(further)), seen(further)
    assert (await pool.calls())["list_jobs"] <= 5


async def test_mine_stops_reading_once_a_page_is_full(pool: Pool) -> None:
    async with pool.stack.runtime.store.transaction() as uow:
        await uow.user_links.link(
            workspace_id="T0001",
            slack_user_id="U0001",
            aihc_user_name="liuyang",
            by="U0001",
            now=datetime.now(UTC),
        )
    mine = await pool.stack.ask(f"jobs --pool {pool.id} --mine")
    assert re.search(r"25 .*1–\d+", _rows(mine)), seen(mine)
    assert _has_more(mine)
    # About one job in six is liuyang's: 25 of them lie within the first few pages.
    assert (await pool.calls())["list_jobs"] <= 5


async def test_twenty_people_listing_at_once_cost_a_call_or_two_each(pool: Pool) -> None:
    answers = await asyncio.gather(
        *(pool.stack.ask(f"jobs --pool {pool.id}", user=f"UPERSON{n:03d}") for n in range(PARALLEL))
    )
    assert all("1–25" in _rows(answer) for answer in answers)
    calls = await pool.calls()
    assert sum(calls.values()) <= 2 * PARALLEL, calls
    assert calls["list_jobs"] <= PARALLEL, calls
