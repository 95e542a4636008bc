"""What watching costs AIHC and Slack: list calls only when quiet, paced posts, finite retries."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from sqlalchemy import update

from bot.store import OutboxState
from bot.store.tables import PoolSweepRow
from tests.calls import calls
from tests.slack.harness import Stack
from tests.watch.helpers import card_of, job_id, replies, settle, text_of, watcher_of

JOBS = ("llama2-13b-pretrain-7", "qwen-14b-sft-3", "mixtral-8x7b-pretrain-2")


async def ticks_until(stack: Stack, count: Callable[[], Awaitable[int]], wanted: int) -> None:
    """Run the watcher until `count()` reaches `wanted`; fail after 20 seconds."""
    async with asyncio.timeout(20):
        while await count() < wanted:
            await watcher_of(stack).run_once()
            await asyncio.sleep(0.05)
    assert await count() == wanted


async def _sweep_now(stack: Stack) -> None:
    async with stack.runtime.store.transaction() as uow:
        await uow.session.execute(update(PoolSweepRow).values(next_sweep_at=stack.runtime.clock()))


async def test_a_quiet_cycle_only_lists_jobs(stack: Stack) -> None:
    for name in JOBS:
        await stack.ask(f"subscribe {name}")
    await settle(stack, lambda: all(card_of(stack.slack, n) for n in JOBS), what="the cards")
    await stack.sim_control("POST", "/_sim/stats/reset")
    for _ in range(3):
        await _sweep_now(stack)
        await watcher_of(stack).run_once()
    ops = calls(await stack.sim_control("GET", "/_sim/stats"))
    assert set(ops) == {"list_jobs"}
    assert ops["list_jobs"] == 3


async def test_changes_missed_while_down_are_posted_once_as_a_summary(stack: Stack) -> None:
    await stack.ask(f"subscribe {JOBS[0]}")
    [card] = await settle(stack, lambda: card_of(stack.slack, JOBS[0]), what="the card")
    # The watcher does not run while the job goes through three statuses.
    path = f"/_sim/jobs/{job_id(stack, JOBS[0])}/status"
    for status in ("Restarting", "Running", "Succeeded"):
        await stack.sim_control("POST", path, status=status)

    def transitions() -> list[str]:
        return [text_of(r) for r in replies(stack.slack, card) if "is now" in text_of(r)]

    [told] = await settle(stack, transitions, what="the summary reply")
    assert "now *Succeeded* (was Running)" in told
    for _ in range(10):
        await watcher_of(stack).run_once()
    assert len(transitions()) == 1


async def test_posts_keep_slacks_pace_per_channel(stack: Stack) -> None:
    stack.slack.pace(0.3)
    watcher_of(stack).config.settings.pace_seconds = 0.35
    for name in JOBS:
        await stack.ask(f"subscribe {name}")
    await settle(stack, lambda: all(card_of(stack.slack, n) for n in JOBS), what="the cards")
    posts = stack.slack.calls_to("chat.postMessage")
    assert len(posts) == 3
    assert all(call.ok for call in posts)


async def test_a_message_slack_keeps_refusing_is_given_up_and_never_shown(stack: Stack) -> None:
    watcher_of(stack).config.settings.max_attempts = 2
    stack.slack.server_error("chat.postMessage", times=50)
    await stack.ask(f"subscribe {JOBS[0]}")

    async def dead() -> int:
        async with stack.runtime.store.transaction() as uow:
            return await uow.outbox.count(state=OutboxState.DEAD)

    await ticks_until(stack, dead, 1)
    assert stack.slack.messages("C0001") == []
    stack.slack.clear_faults()
    stack.slack.fail("chat.postMessage", "invalid_blocks")
    await stack.ask(f"subscribe {JOBS[1]}")
    await ticks_until(stack, dead, 2)
    assert stack.slack.messages("C0001") == []
