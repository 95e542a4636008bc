"""On AIHC v2 a pool is swept by status when that costs fewer list calls, and sees as much."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.domain import Resource
from bot.domain.jobspec import JobSpec
from bot.simulator.model import Job as SimJob
from tests.slack.harness import Stack
from tests.watch.conftest import watching
from tests.watch.helpers import card_of, replies, settle, watcher_of
from tests.watch.test_coverage import (
    PAGE,
    baseline_done,
    force,
    pool_jobs,
    pool_named,
    populate,
    running_positions,
    sweep_now,
    told,
)

LIST = "v2:DescribeJobs"
BY_STATUS = 1 + 7
"""A quiet sweep by status: one top page, then one page for each of the 7 active statuses."""
WALK = 1000 // PAGE + 1
"""A quiet walk down to a job at the bottom of 1,000: ten full pages and the empty one after."""


@pytest.fixture
async def v2(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Stack]:
    """The watching bot of `stack` (no pacing, a short lease, a 1 s poll), speaking AIHC API v2."""
    async with watching(tmp_path, database_url, "v2", monkeypatch) as running:
        yield running


async def one_old_running_job(stack: Stack) -> SimJob:
    """Fill one pool with 1,000 finished jobs, the oldest of them running again; return it."""
    await populate(stack, pools=1, queues=2, jobs=1000, Succeeded=1.0)
    oldest = pool_jobs(stack, pool_named(stack, "bench-pool-00"))[-1]
    await force(stack, oldest, "Running")
    return oldest


async def cycle_calls(stack: Stack, cycles: int = 3) -> float:
    """Run quiet cycles; return the job list calls each made, checking nothing else was asked."""
    await stack.sim_control("POST", "/_sim/stats/reset")
    for _ in range(cycles):
        await sweep_now(stack)
        await watcher_of(stack).run_once()
    stats = await stack.sim_control("GET", "/_sim/stats")
    assert set(stats["operations"]) == {LIST}, stats["operations"]
    return int(stats["operations"][LIST]) / cycles


async def test_an_old_running_job_is_swept_by_status_for_fewer_calls(v2: Stack) -> None:
    oldest = await one_old_running_job(v2)
    await v2.ask("subscribe pool bench-pool-00")
    await baseline_done(v2)
    assert await cycle_calls(v2) == BY_STATUS
    # Forgotten what the pool looked like, the replica walks: down to the old job, every page.
    watcher_of(v2).sweeper.seen.clear()
    assert await cycle_calls(v2, cycles=1) == WALK
    assert await cycle_calls(v2) == BY_STATUS

    await force(v2, oldest, "Restarting")
    await settle(v2, lambda: told(v2, oldest.name, "now *Restarting*"), what="the restart")
    await force(v2, oldest, "Failed")
    await settle(v2, lambda: told(v2, oldest.name, "failed (was Restarting)"), what="the failure")
    # Nothing open is left: one walk, as deep as before, finds the horizon risen; then one page.
    await sweep_now(v2)
    await watcher_of(v2).run_once()
    assert await cycle_calls(v2) == 1


async def test_a_job_that_appears_and_fails_between_two_sweeps_by_status_is_told(
    v2: Stack,
) -> None:
    await one_old_running_job(v2)
    await v2.ask("subscribe pool bench-pool-00")
    await baseline_done(v2)
    assert await cycle_calls(v2) == BY_STATUS
    ref = await v2.runtime.aihc.create_job(
        pool_named(v2, "bench-pool-00"), spec("short-lived-run", "team-00"), client_token="t-1"
    )
    await v2.sim_control("POST", f"/_sim/jobs/{ref.job_id}/status", status="Failed")
    await v2.sim_control("POST", "/_sim/stats/reset")
    await sweep_now(v2)
    await watcher_of(v2).sweep()
    assert (await v2.sim_control("GET", "/_sim/stats"))["operations"] == {LIST: BY_STATUS}
    await settle(v2, lambda: told(v2, "short-lived-run", "failed"), what="the failure")
    for _ in range(3):
        await sweep_now(v2)
        await watcher_of(v2).run_once()
    [card] = card_of(v2.slack, "short-lived-run")
    assert len(replies(v2.slack, card)) == 1


async def test_a_new_pending_job_of_a_followed_queue_is_found(v2: Stack) -> None:
    await one_old_running_job(v2)
    assert "now follows" in (await v2.ask("subscribe queue team-00 --pool bench-pool-00")).text
    await baseline_done(v2)
    assert await cycle_calls(v2) == BY_STATUS
    pool = pool_named(v2, "bench-pool-00")
    ref = await v2.runtime.aihc.create_job(pool, spec("queued-run", "team-00"), client_token="t-2")
    await v2.sim_control("POST", f"/_sim/jobs/{ref.job_id}/status", status="Pending")
    other = await v2.runtime.aihc.create_job(pool, spec("other-run", "default"), client_token="t-3")
    await v2.sim_control("POST", f"/_sim/jobs/{other.job_id}/status", status="Pending")
    await settle(v2, lambda: card_of(v2.slack, "queued-run"), what="the new job's card")
    assert card_of(v2.slack, "other-run") == []  # another queue's job is not news here


async def test_recent_open_jobs_are_walked_as_before(v2: Stack) -> None:
    # Running jobs spread over 3 days, finished ones over 30: the walk stops a few pages down,
    # well above what 300 running jobs cost by status (1 + 3 + 6 pages).
    await populate(v2, pools=1, queues=2, jobs=1000, Running=0.3, Succeeded=0.7)
    await v2.ask("subscribe pool bench-pool-00")
    jobs = pool_jobs(v2, pool_named(v2, "bench-pool-00"))
    await baseline_done(v2)
    deepest = running_positions(v2, jobs)[-1]
    pages = await cycle_calls(v2)
    assert deepest // PAGE + 1 <= pages <= deepest // PAGE + 2 < 1 + 3 + 6


def spec(name: str, queue: str) -> JobSpec:
    """Return a small job to create in `queue`."""
    return JobSpec(
        name=name,
        image="registry.baidubce.com/aihc-aiak/aiak-megatron:v1",
        command="bash pretrain.sh",
        queue=queue,
        resources=(Resource(name="baidu.com/a800_80g_cgpu", quantity=8),),
    )
