"""A watched row that does not know its job's queue (watched before the bot spoke v2, or found
without one): every v2 job call needs the queue, so the job is asked of each queue once, its
change told, and its queue kept for every poll after."""

from __future__ import annotations

from sqlalchemy import select

from bot.store.tables import WatchedJobRow
from tests.calls import calls
from tests.slack.harness import Stack
from tests.watch.crash_kit import subscribe_jobs
from tests.watch.helpers import card_of, replies, settle, text_of
from tests.watch.test_delivery import force

JOB = "qwen-14b-sft-3"


async def _queue_kept(stack: Stack, job_id: str) -> str:
    async with stack.runtime.store.transaction() as uow:
        stmt = select(WatchedJobRow.queue_name).where(WatchedJobRow.job_id == job_id)
        return str((await uow.session.execute(stmt)).scalar_one())


async def test_a_row_without_its_queue_is_found_once_then_asked_through_its_queue(
    stack: Stack, database_url: str
) -> None:
    # Straight in the store, as before v2: the row knows no queue.
    await subscribe_jobs(database_url, stack.sim, [JOB])
    job = next(j for j in stack.sim.simulator.world.jobs.values() if j.name == JOB)
    job_id, queue = job.id, job.queue
    [card] = await settle(stack, lambda: card_of(stack.slack, JOB), what="the card")
    assert await _queue_kept(stack, job_id) == queue
    await stack.sim_control("POST", "/_sim/stats/reset")
    await force(stack, JOB, "Failed", reason="cuda_oom")
    [failure] = await settle(stack, lambda: replies(stack.slack, card), what="the failure")
    assert "failed" in text_of(failure)
    made = calls(await stack.sim_control("GET", "/_sim/stats"))
    assert made["get_job"] >= 1
    assert made["list_queues"] == 0  # the queue is known now: no queue is walked again
