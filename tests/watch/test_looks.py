"""Looks at running jobs through Slack: progress on the card, a hang and its end, idle GPUs.

The demo world holds a Megatron job in progress, a job whose log stopped and one whose GPUs idle
(`bot/simulator/scenarios.py`); time passes on the simulator's clock, which the bot reads too.
"""

from __future__ import annotations

import re

from bot.workspace import Message
from tests.calls import calls
from tests.slack.harness import Stack
from tests.watch.helpers import card_of, job_id, replies, settle, text_of, watcher_of

PROGRESSING = "llama2-13b-pretrain-7"
HUNG = "llama2-70b-pretrain-3"
IDLE = "vit-h14-pretrain-5"
WAITING = "llama2-13b-rlhf-2"
RESTARTING = "llama2-7b-dpo-5"


async def _pass(stack: Stack, minutes: int) -> None:
    """Let `minutes` pass in six-minute steps (a look is due every five), the watcher working."""
    for _ in range(-(-minutes // 6)):
        await stack.sim_control("POST", "/_sim/clock/advance", seconds=360)
        for _ in range(3):
            await watcher_of(stack).run_once()


def _said(stack: Stack, card: Message, words: str) -> list[Message]:
    return [r for r in replies(stack.slack, card) if words in text_of(r)]


async def test_the_card_shows_the_step_the_pace_and_the_eta(stack: Stack) -> None:
    await stack.ask(f"subscribe {PROGRESSING}")
    [card] = await settle(
        stack,
        lambda: [c for c in card_of(stack.slack, PROGRESSING) if "ETA" in text_of(c)],
        what="the card with its progress",
    )
    shown = text_of(card)
    assert re.search(r"step [\d,]+ / 500,000 \([\d.]+ %\) · [\d.]+ s/step · ETA \d+d", shown)
    assert "GPU " in shown


async def test_a_hang_is_told_once_with_a_stop_button_and_its_end_once(stack: Stack) -> None:
    await stack.ask(f"subscribe {HUNG}")
    [card] = await settle(stack, lambda: card_of(stack.slack, HUNG), what="the card")
    # Its log stopped before watching began: the first look asks AIHC for the last 30 minutes.
    [hang] = await settle(stack, lambda: _said(stack, card, "looks hung"), what="the hang")
    assert re.search(r"no progress for 30m, GPUs at 0 %", text_of(hang))
    assert "aihc.job.stop" in text_of(hang)
    await _pass(stack, 30)
    assert len(_said(stack, card, "looks hung")) == 1
    await stack.sim_control("POST", f"/_sim/jobs/{job_id(stack, HUNG)}/behaviour", hang=False)
    await _pass(stack, 6)
    await settle(stack, lambda: _said(stack, card, "moving again"), what="the end of the hang")
    await _pass(stack, 12)
    assert len(_said(stack, card, "moving again")) == 1
    assert len(_said(stack, card, "looks hung")) == 1


async def test_idle_gpus_are_told_once_with_the_gpu_hours(stack: Stack) -> None:
    await stack.ask(f"subscribe {IDLE} --pool cv-h800-pool")
    [card] = await settle(stack, lambda: card_of(stack.slack, IDLE), what="the card")
    # Idle before watching began: the first look reads the last hour of GPU samples.
    [idle] = await settle(stack, lambda: _said(stack, card, "GPUs idle"), what="idle GPUs")
    assert re.search(
        r"keeps 16 GPUs idle: nearly unused for 1h( \d+m)? \(now [\d.]+ %\), "
        r"1[67](\.\d)? GPU-hours",
        text_of(idle),
    )
    await _pass(stack, 30)
    assert len(_said(stack, card, "GPUs idle")) == 1
    assert _said(stack, card, "looks hung") == []


async def test_a_subscription_without_hang_hears_nothing_of_it(stack: Stack) -> None:
    await stack.ask(f"subscribe {HUNG} status,progress")
    [card] = await settle(stack, lambda: card_of(stack.slack, HUNG), what="the card")
    await _pass(stack, 42)
    assert _said(stack, card, "looks hung") == []


async def test_every_notice_speaks_the_bots_language(zh_stack: Stack) -> None:
    stack = zh_stack
    await stack.ask(f"subscribe {HUNG}")
    await stack.ask(f"subscribe {IDLE} --pool cv-h800-pool")
    [hung] = await settle(stack, lambda: card_of(stack.slack, HUNG), what="the card")
    [idle] = await settle(stack, lambda: card_of(stack.slack, IDLE), what="the card")
    await stack.ask(f"subscribe {WAITING}")
    [waiting] = await settle(stack, lambda: card_of(stack.slack, WAITING), what="the card")
    await settle(stack, lambda: _said(stack, hung, "疑似卡住"), what="the hang")
    await settle(stack, lambda: _said(stack, idle, "GPU 小时"), what="idle GPUs")
    await settle(stack, lambda: _said(stack, waiting, "已在队列"), what="why it waits")
    await stack.ask(f"subscribe {RESTARTING}")
    [restarting] = await settle(stack, lambda: card_of(stack.slack, RESTARTING), what="the card")
    await _pass(stack, 1)
    [restart] = await settle(
        stack, lambda: _said(stack, restarting, "容错机制重启"), what="the restart"
    )
    assert "NCCL" in text_of(restart)


async def test_a_quiet_look_reads_the_detail_the_log_and_the_gpus_only(stack: Stack) -> None:
    await stack.ask(f"subscribe {PROGRESSING}")
    await settle(stack, lambda: card_of(stack.slack, PROGRESSING), what="the card")
    for _ in range(3):
        await watcher_of(stack).run_once()
    await stack.sim_control("POST", "/_sim/stats/reset")
    # One interval of looks: five minutes and up to 10 % more.
    await stack.sim_control("POST", "/_sim/clock/advance", seconds=331)
    await watcher_of(stack).run_once()
    ops = calls(await stack.sim_control("GET", "/_sim/stats"))
    assert (ops["get_job"], ops["pod_logs"], ops["job_metrics"]) == (1, 1, 1)
    assert "job_events" not in ops


async def test_a_job_waiting_past_the_pending_time_is_told_why_once(stack: Stack) -> None:
    await stack.ask(f"subscribe {WAITING}")
    [card] = await settle(stack, lambda: card_of(stack.slack, WAITING), what="the card")
    [why] = await settle(stack, lambda: _said(stack, card, "has waited"), what="why it waits")
    assert "in queue `llm-rlhf`" in text_of(why)
    assert "is at its capability: 16 of 16 GPUs allocated" in text_of(why)
    await settle(
        stack,
        lambda: [c for c in card_of(stack.slack, WAITING) if "at its capability" in text_of(c)],
        what="the card saying why",
    )
    await _pass(stack, 30)
    assert len(_said(stack, card, "has waited")) == 1


async def test_without_pending_a_waiting_job_is_not_explained(stack: Stack) -> None:
    await stack.ask(f"subscribe {WAITING} status,hang")
    [card] = await settle(stack, lambda: card_of(stack.slack, WAITING), what="the card")
    await _pass(stack, 18)
    assert _said(stack, card, "has waited") == []


async def test_a_job_that_stops_while_watched_is_told_after_the_hang_time(stack: Stack) -> None:
    await stack.ask(f"subscribe {PROGRESSING}")
    [card] = await settle(stack, lambda: card_of(stack.slack, PROGRESSING), what="the card")
    path = f"/_sim/jobs/{job_id(stack, PROGRESSING)}/behaviour"
    await stack.sim_control("POST", path, hang=True)
    await _pass(stack, 24)
    assert _said(stack, card, "looks hung") == []
    await _pass(stack, 12)
    [hang] = await settle(stack, lambda: _said(stack, card, "looks hung"), what="the hang")
    # The bot's clock runs on at wall speed between the simulator's jumps (tests/clocks.py), so
    # on a busy machine the looks are a few real seconds further apart than the 30 minutes.
    assert re.search(r"no progress for 3\dm( \d{1,2}s)?, GPUs at 0 %", text_of(hang))


async def test_each_restart_is_told_with_its_cause_and_counted_on_the_card(stack: Stack) -> None:
    await stack.ask(f"subscribe {RESTARTING}")
    [card] = await settle(stack, lambda: card_of(stack.slack, RESTARTING), what="the card")
    # Fault tolerance restarts it 20 s in, after an NCCL timeout.
    for _ in range(4):
        await stack.sim_control("POST", "/_sim/clock/advance", seconds=15)
        for _ in range(3):
            await watcher_of(stack).run_once()
    [first] = await settle(stack, lambda: _said(stack, card, "restarted by fault"), what="restart")
    assert "NCCL" in text_of(first)
    path = f"/_sim/jobs/{job_id(stack, RESTARTING)}/behaviour"
    await stack.sim_control("POST", path, restart="CUDA out of memory. Tried to allocate 2.00 GiB")
    for _ in range(4):
        await stack.sim_control("POST", "/_sim/clock/advance", seconds=15)
        for _ in range(3):
            await watcher_of(stack).run_once()
    said = await settle(
        stack,
        lambda: r if len(r := _said(stack, card, "restarted by fault")) == 2 else None,
        what="the second restart",
    )
    assert "out of memory" in text_of(said[1]).lower()
    await settle(
        stack,
        lambda: [c for c in card_of(stack.slack, RESTARTING) if "restarted 2×" in text_of(c)],
        what="the card counting two restarts",
    )
