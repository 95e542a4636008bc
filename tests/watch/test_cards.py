"""A subscribed job gets one card per channel, edited in place, with its story in the thread."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.slack.harness import WANG, Stack
from tests.watch.helpers import card_of, job_id, replies, settle, text_of

JOB = "llama2-13b-pretrain-7"


async def test_a_failure_edits_the_card_and_broadcasts_cause_log_and_mention(stack: Stack) -> None:
    async with stack.runtime.store.transaction() as uow:
        await uow.user_links.link(
            workspace_id="T0001",
            slack_user_id=WANG,
            aihc_user_name="chenjing",
            by="U0001",
            now=datetime.now(UTC),
        )
    answer = await stack.ask(f"subscribe {JOB}")
    assert "now follows" in answer.text
    [card] = await settle(stack, lambda: card_of(stack.slack, JOB), what="the card")
    assert "Running" in text_of(card)
    await stack.sim_control(
        "POST", f"/_sim/jobs/{job_id(stack, JOB)}/status", status="Failed", reason="cuda_oom"
    )
    [failure] = await settle(
        stack,
        lambda: [r for r in replies(stack.slack, card) if "failed" in text_of(r)],
        what="the failure reply",
    )
    shown = text_of(failure)
    assert failure.reply_broadcast
    assert "CUDA out of memory" in shown
    assert f"<@{WANG}>" in shown
    assert "OutOfMemoryError" in shown or "out of memory" in shown
    [card] = card_of(stack.slack, JOB)
    assert card.edits >= 1
    assert "Failed" in text_of(card)
