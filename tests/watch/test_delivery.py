"""Delivery holds under Slack's faults: lost answers, 429s, 5xx; logs, bursts and deletions."""

from __future__ import annotations

from collections import Counter

from tests.slack.harness import Stack
from tests.watch.helpers import all_keys, card_of, job_id, replies, settle, text_of

JOB = "llama2-13b-pretrain-7"
RUNNING = ("qwen-14b-sft-3", "mixtral-8x7b-pretrain-2", "llama2-7b-dpo-5")


async def force(stack: Stack, name: str, status: str, **extra: object) -> None:
    """Force a job of the demo world into `status`."""
    path = f"/_sim/jobs/{job_id(stack, name)}/status"
    await stack.sim_control("POST", path, status=status, **extra)


async def test_lost_answers_and_429s_neither_lose_nor_duplicate_a_message(stack: Stack) -> None:
    await stack.ask(f"subscribe {JOB}")
    stack.slack.drop("chat.postMessage", times=2, after_accepting=True)
    [card] = await settle(stack, lambda: card_of(stack.slack, JOB), what="the card")
    stack.slack.rate_limit("chat.postMessage", times=2, retry_after=1)
    stack.slack.server_error("chat.postMessage", times=1)
    stack.slack.drop("chat.postMessage", times=1, after_accepting=True)
    stack.slack.drop("chat.update", times=1, after_accepting=True)
    for status in ("Restarting", "Running", "Succeeded"):
        await force(stack, status=status, name=JOB)
        await settle(
            stack,
            lambda s=status: any(f"now *{s}*" in text_of(r) for r in replies(stack.slack, card)),
            what=f"the {status} reply",
        )
    keys = all_keys(stack.slack)
    assert [k for k, n in Counter(keys).items() if n > 1] == []
    assert len(card_of(stack.slack, JOB)) == 1
    assert "Succeeded" in text_of(card_of(stack.slack, JOB)[0])
    assert stack.slack.calls_to("conversations.replies") or stack.slack.calls_to(
        "conversations.history"
    )


async def test_followed_logs_post_only_new_lines(stack: Stack) -> None:
    await stack.ask(f"subscribe {JOB} status,logs")
    [card] = await settle(stack, lambda: card_of(stack.slack, JOB), what="the card")
    path = f"/_sim/jobs/{job_id(stack, JOB)}/logs"
    await stack.sim_control("POST", path, lines=["step 1 marker-alpha", "step 2 marker-beta"])
    [first] = await settle(
        stack,
        lambda: [r for r in replies(stack.slack, card) if "marker-beta" in text_of(r)],
        what="the first log reply",
    )
    # Lines appended at one frozen instant have no order: let a second pass, as on a real pod.
    await stack.sim_control("POST", "/_sim/clock/advance", seconds=1)
    await stack.sim_control("POST", path, lines=["step 3 marker-gamma"])
    [second] = await settle(
        stack,
        lambda: [r for r in replies(stack.slack, card) if "marker-gamma" in text_of(r)],
        what="the second log reply",
    )
    assert "marker-alpha" in text_of(first)
    assert "marker-alpha" not in text_of(second)


async def test_many_changes_at_once_fold_into_one_summary(stack: Stack) -> None:
    stack.runtime.watcher.config.settings.burst_threshold = 2  # type: ignore[union-attr]
    await stack.ask("subscribe pool llm-a800-pool")
    for _ in range(8):
        await stack.runtime.watcher.run_once()  # type: ignore[union-attr]
    for name in RUNNING:
        await force(stack, name, "Failed", reason="gpu_xid")
    [summary] = await settle(
        stack,
        lambda: [m for m in stack.slack.messages("C0001") if "changed at once" in text_of(m)],
        what="the summary",
    )
    assert all(name in text_of(summary) for name in RUNNING)
    assert [m for m in stack.slack.messages("C0001") if "failed" in text_of(m)] == []


async def test_a_deleted_job_is_reported_once(stack: Stack) -> None:
    await stack.ask(f"subscribe {JOB}")
    [card] = await settle(stack, lambda: card_of(stack.slack, JOB), what="the card")
    job = stack.sim.simulator.world.jobs[job_id(stack, JOB)]
    await stack.runtime.aihc.delete_job(job.pool_id, job.id, queue=job.queue)
    [gone] = await settle(stack, lambda: replies(stack.slack, card), what="the deleted notice")
    assert "was deleted" in text_of(gone)
    for _ in range(10):
        await stack.runtime.watcher.run_once()  # type: ignore[union-attr]
    assert len(replies(stack.slack, card)) == 1
