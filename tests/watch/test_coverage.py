"""Queue and pool subscriptions see every job they cover, the oldest included, every cycle."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select, update

from bot.domain import Resource
from bot.domain.jobspec import JobSpec
from bot.simulator.lifecycle import status_at
from bot.simulator.model import Job as SimJob
from bot.store.tables import PoolSweepRow, WatchedJobRow
from bot.watch import sweep
from tests.calls import calls
from tests.slack.harness import Stack
from tests.watch.helpers import card_of, cards, replies, settle, text_of, watcher_of

PAGE = 100


async def populate(stack: Stack, *, pools: int, queues: int, jobs: int, **mix: float) -> None:
    """Replace the simulator's world with a bulk one (`queues` counts `default`)."""
    body = {"pools": pools, "queues_per_pool": queues, "jobs": jobs, "status_mix": mix}
    await stack.sim_control("POST", "/_sim/populate", **body)


def pool_jobs(stack: Stack, pool: str, queue: str | None = None) -> list[SimJob]:
    """Return a pool's (or one queue's) jobs in the order the job list gives them: newest first."""
    world = stack.sim.simulator.world
    found = [j for j in world.jobs.values() if j.pool_id == pool and queue in (None, j.queue)]
    return sorted(found, key=lambda j: (j.created_at, j.seq), reverse=True)


def pool_named(stack: Stack, name: str) -> str:
    """Return the id of the simulator's pool called `name`."""
    [pool] = [p.id for p in stack.sim.simulator.world.pools.values() if p.name == name]
    return pool


async def baseline_done(stack: Stack) -> None:
    """Run the watcher until it watches some jobs and has seen every one it watches."""

    async def counts() -> tuple[int, int]:
        async with stack.runtime.store.transaction() as uow:
            rows = select(func.count()).select_from(WatchedJobRow)
            unseen = rows.where(WatchedJobRow.last_status.is_(None))
            total = await uow.session.scalar(rows)
            return int(total or 0), int(await uow.session.scalar(unseen) or 0)

    for _ in range(400):
        await watcher_of(stack).run_once()
        total, unseen = await counts()
        if total and not unseen:
            return
    raise AssertionError(f"baseline not done: {total} watched, {unseen} not seen yet")


async def force(stack: Stack, job: SimJob, status: str) -> None:
    """Force a job into `status` in the simulator."""
    await stack.sim_control("POST", f"/_sim/jobs/{job.id}/status", status=status, reason="cuda_oom")


def told(stack: Stack, name: str, words: str) -> bool:
    """Say whether the job's card is posted with a reply holding `words` under it."""
    return any(
        words in text_of(r) for c in card_of(stack.slack, name) for r in replies(stack.slack, c)
    )


async def sweep_now(stack: Stack) -> None:
    """Make every pool's sweep due now."""
    async with stack.runtime.store.transaction() as uow:
        await uow.session.execute(update(PoolSweepRow).values(next_sweep_at=stack.runtime.clock()))


async def test_a_pool_subscription_tells_changes_of_its_oldest_jobs(stack: Stack) -> None:
    await populate(stack, pools=2, queues=2, jobs=500, Running=1.0)
    for name in ("bench-pool-00", "bench-pool-01"):
        assert "now follows" in (await stack.ask(f"subscribe pool {name}")).text
    await baseline_done(stack)
    first = pool_jobs(stack, pool_named(stack, "bench-pool-00"))
    second = pool_jobs(stack, pool_named(stack, "bench-pool-01"))
    assert len(first) == len(second) == 250
    oldest, restarting, newest = first[-1], second[-2], second[0]
    await force(stack, oldest, "Failed")
    await force(stack, restarting, "Restarting")
    await force(stack, newest, "Restarting")

    await settle(stack, lambda: told(stack, oldest.name, "failed (was Running)"), what="failure")
    await settle(
        stack, lambda: told(stack, restarting.name, "now *Restarting*"), what="old restart"
    )
    await settle(stack, lambda: told(stack, newest.name, "now *Restarting*"), what="new restart")


async def test_a_queue_subscription_tells_changes_of_its_oldest_jobs(stack: Stack) -> None:
    # Jobs alternate between `default` and `team-00`: the queue's oldest job is on the last page.
    await populate(stack, pools=1, queues=2, jobs=500, Running=1.0)
    assert "now follows" in (await stack.ask("subscribe queue team-00 --pool bench-pool-00")).text
    await baseline_done(stack)
    jobs = pool_jobs(stack, pool_named(stack, "bench-pool-00"), "team-00")
    assert len(jobs) == 250
    await force(stack, jobs[-1], "Failed")
    await force(stack, jobs[-2], "Restarting")

    await settle(stack, lambda: told(stack, jobs[-1].name, "failed (was Running)"), what="failure")
    await settle(stack, lambda: told(stack, jobs[-2].name, "now *Restarting*"), what="restart")
    assert card_of(stack.slack, jobs[0].name) == []  # unchanged jobs stay quiet


async def test_a_quiet_cycle_lists_every_page_down_to_the_oldest_running_job(stack: Stack) -> None:
    # Finished jobs spread over 30 days, running ones over 3: the walk must reach the oldest
    # running job, and may stop soon after it, since what finished before it stays finished.
    await populate(stack, pools=1, queues=2, jobs=1000, Running=0.3, Succeeded=0.7)
    await stack.ask("subscribe pool bench-pool-00")
    jobs = pool_jobs(stack, pool_named(stack, "bench-pool-00"))
    await baseline_done(stack)
    deepest = running_positions(stack, jobs)[-1]
    assert deepest < len(jobs) - 2 * PAGE  # older finished jobs exist: a full walk costs more
    await stack.sim_control("POST", "/_sim/stats/reset")
    for _ in range(3):
        await sweep_now(stack)
        await watcher_of(stack).run_once()
    ops = calls(await stack.sim_control("GET", "/_sim/stats"))
    assert set(ops) == {"list_jobs"}  # quiet: nothing else is asked
    pages = ops["list_jobs"] / 3
    assert pages >= deepest // PAGE + 1  # every page down to the oldest running job
    assert pages <= deepest // PAGE + 2  # and at most one past it
    # As just after the upgrade that added the horizon: unknown, so the whole list is walked.
    async with stack.runtime.store.transaction() as uow:
        await uow.session.execute(update(PoolSweepRow).values(horizon_at=None, newest_at=None))
    await sweep_now(stack)
    await stack.sim_control("POST", "/_sim/stats/reset")
    await watcher_of(stack).run_once()
    assert await list_calls(stack) == len(jobs) // PAGE + 1
    await sweep_now(stack)
    await stack.sim_control("POST", "/_sim/stats/reset")
    await watcher_of(stack).run_once()
    assert await list_calls(stack) == pages
    assert cards(stack.slack) == []  # and none of it is news


def running_positions(stack: Stack, jobs: list[SimJob]) -> list[int]:
    """Return where, in list order, the jobs that are not finished stand."""
    now = stack.sim.simulator.clock.now()
    return [i for i, j in enumerate(jobs) if not status_at(j, now).is_terminal]


async def list_calls(stack: Stack) -> int:
    """Return the job list calls the simulator served since its stats were reset."""
    return calls(await stack.sim_control("GET", "/_sim/stats"))["list_jobs"]


async def test_a_subscription_added_later_covers_old_jobs_without_a_full_walk(stack: Stack) -> None:
    await populate(stack, pools=1, queues=2, jobs=1000, Running=0.3, Succeeded=0.7)
    pool = pool_named(stack, "bench-pool-00")
    await stack.ask("subscribe queue team-00 --pool bench-pool-00")
    await baseline_done(stack)
    jobs = pool_jobs(stack, pool)
    deepest = running_positions(stack, jobs)[-1]
    await stack.ask("subscribe queue default --pool bench-pool-00")
    await sweep_now(stack)
    await stack.sim_control("POST", "/_sim/stats/reset")
    await watcher_of(stack).sweep()
    # The walk already reached the pool's oldest running job, whatever its queue.
    assert await list_calls(stack) <= deepest // PAGE + 2 < len(jobs) // PAGE
    await baseline_done(stack)
    running = [jobs[i] for i in running_positions(stack, jobs)]
    oldest = [j for j in running if j.queue == "default"][-1]
    await force(stack, oldest, "Failed")
    await settle(stack, lambda: told(stack, oldest.name, "failed (was Running)"), what="failure")


async def test_a_walk_cut_short_says_so_and_walks_as_deep_next_time(
    stack: Stack, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(sweep, "MAX_PAGES", 2)
    await populate(stack, pools=1, queues=2, jobs=500, Running=1.0)
    pool = pool_named(stack, "bench-pool-00")
    await stack.ask("subscribe pool bench-pool-00")
    with caplog.at_level(logging.WARNING, logger="bot.watch.sweep"):
        await baseline_done(stack)
    cut = [r for r in caplog.records if "stopped after 2 pages" in r.getMessage()]
    assert cut
    assert pool in cut[0].getMessage()
    assert "(200 jobs)" in cut[0].getMessage()
    async with stack.runtime.store.transaction() as uow:
        row = await uow.pool_sweeps.get(pool_id=pool)
    assert row is not None
    assert row.horizon_at is None  # unknown still: the next walk goes as deep as it may
    monkeypatch.setattr(sweep, "MAX_PAGES", 200)
    await sweep_now(stack)
    await baseline_done(stack)
    oldest = pool_jobs(stack, pool)[-1]
    await force(stack, oldest, "Failed")
    await settle(stack, lambda: told(stack, oldest.name, "failed (was Running)"), what="failure")


async def test_a_job_that_appears_and_fails_between_two_walks_is_told_once(stack: Stack) -> None:
    await stack.ask("subscribe pool llm-a800-pool")
    await baseline_done(stack)
    assert cards(stack.slack) == []  # the baseline is silent, finished jobs included
    pool = pool_named(stack, "llm-a800-pool")
    spec = JobSpec(
        name="short-lived-run",
        image="registry.baidubce.com/aihc-aiak/aiak-megatron:v1",
        command="bash pretrain.sh",
        queue="llm-pretrain",
        resources=(Resource(name="baidu.com/a800_80g_cgpu", quantity=8),),
    )
    ref = await stack.runtime.aihc.create_job(pool, spec, client_token="coverage-test-1")
    path = f"/_sim/jobs/{ref.job_id}/status"
    await stack.sim_control("POST", path, status="Failed", reason="image_pull")
    await settle(stack, lambda: told(stack, "short-lived-run", "failed"), what="the failure")
    for _ in range(5):
        await sweep_now(stack)
        await watcher_of(stack).run_once()
    [card] = card_of(stack.slack, "short-lived-run")
    assert len(replies(stack.slack, card)) == 1
    assert [c for c in cards(stack.slack) if "short-lived-run" not in text_of(c)] == []
