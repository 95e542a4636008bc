"""A subscribed job gets one card per channel, edited in place, with its story in the thread."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.slack.harness import WANG, Stack
from tests.slack.test_read_commands import seen as text_of_answer
from tests.watch.helpers import card_of, drain, job_id, replies, settle, text_of

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


async def force(stack: Stack, name: str, status: str, **extra: object) -> None:
    """Force a job of the demo world into `status`."""
    await stack.sim_control(
        "POST", f"/_sim/jobs/{job_id(stack, name)}/status", status=status, **extra
    )


async def test_each_transition_edits_the_one_card_and_adds_one_reply(stack: Stack) -> None:
    stack.slack.add_channel("C0002", "ml-ops")
    await stack.ask(f"subscribe {JOB}")
    await stack.ask(f"subscribe {JOB}", channel="C0002")
    [card] = await settle(stack, lambda: card_of(stack.slack, JOB), what="the card")
    for status in ("Restarting", "Running", "Succeeded"):
        await force(stack, JOB, status)
        await settle(
            stack,
            lambda s=status: any(f"now *{s}*" in text_of(r) for r in replies(stack.slack, card)),
            what=f"the {status} reply",
        )
    # The restart's reply says the status too, with the likely cause, in place of "is now".
    shown = [text_of(r) for r in replies(stack.slack, card) if "now *" in text_of(r)]
    assert len(shown) == 3
    assert "restarted by fault tolerance" in shown[0]
    assert "now *Restarting*" in shown[0]
    assert "Succeeded" in shown[2]
    [card] = card_of(stack.slack, JOB)
    assert card.edits == 3
    assert "Succeeded" in text_of(card)
    [other] = await settle(stack, lambda: card_of(stack.slack, JOB, "C0002"), what="card 2")
    await settle(
        stack,
        lambda: len([r for r in replies(stack.slack, other, "C0002") if "now *" in r.text]) == 3,
        what="the replies in the second channel",
    )
    assert len(card_of(stack.slack, JOB)) == 1


async def test_a_filter_keeps_only_the_statuses_asked_for(stack: Stack) -> None:
    await stack.ask(f"subscribe {JOB} status --on Failed")
    [card] = await settle(stack, lambda: card_of(stack.slack, JOB), what="the card")
    await force(stack, JOB, "Restarting")
    await settle(stack, lambda: card_of(stack.slack, JOB)[0].edits == 1, what="an edit")
    await force(stack, JOB, "Failed", reason="nccl_timeout")
    [reply] = await settle(stack, lambda: replies(stack.slack, card), what="the failure")
    assert "NCCL" in text_of(reply)
    assert not any("now *Restarting*" in text_of(r) for r in replies(stack.slack, card))


async def test_mute_silences_replies_and_unsubscribe_stops_everything(stack: Stack) -> None:
    await stack.ask(f"subscribe {JOB}")
    [card] = await settle(stack, lambda: card_of(stack.slack, JOB), what="the card")
    muted = await stack.ask(f"mute {JOB} 2h")
    assert "Muted" in muted.text
    await force(stack, JOB, "Restarting")
    await settle(stack, lambda: card_of(stack.slack, JOB)[0].edits == 1, what="an edit")
    assert replies(stack.slack, card) == []
    await stack.ask(f"unmute {JOB}")
    await force(stack, JOB, "Running")
    await settle(stack, lambda: replies(stack.slack, card), what="a reply after unmute")
    gone = await stack.ask(f"unsubscribe {JOB}")
    assert "no longer follows" in gone.text
    posts = len(stack.slack.calls_to("chat.postMessage"))
    updates = len(stack.slack.calls_to("chat.update"))
    await force(stack, JOB, "Succeeded")
    for _ in range(30):
        await stack.runtime.watcher.run_once()  # type: ignore[union-attr]
    assert len(stack.slack.calls_to("chat.postMessage")) == posts
    assert len(stack.slack.calls_to("chat.update")) == updates


async def test_a_mute_ends_when_the_time_the_bot_is_given_passes_it(stack: Stack) -> None:
    await stack.ask(f"subscribe {JOB}")
    [card] = await settle(stack, lambda: card_of(stack.slack, JOB), what="the card")
    await stack.ask(f"mute {JOB} 30m")
    # One clock for the whole bot: the simulator's hour passes for commands and watcher alike.
    await stack.sim_control("POST", "/_sim/clock/advance", seconds=3600)
    await force(stack, JOB, "Restarting")
    await settle(
        stack,
        lambda: [r for r in replies(stack.slack, card) if "now *Restarting*" in text_of(r)],
        what="the reply that the mute no longer holds back",
    )


async def test_a_queue_subscription_starts_silent_and_follows_its_jobs(stack: Stack) -> None:
    await stack.ask("subscribe queue llm-sft")
    for _ in range(10):
        await stack.runtime.watcher.run_once()  # type: ignore[union-attr]
    assert card_of(stack.slack, "sft") == []
    await force(stack, "qwen-14b-sft-3", "Failed", reason="python_error")
    [card] = await settle(stack, lambda: card_of(stack.slack, "qwen-14b-sft-3"), what="card")
    [failure] = await settle(stack, lambda: replies(stack.slack, card), what="the failure")
    assert "Python exception" in text_of(failure)
    assert card_of(stack.slack, "llama2-7b-dpo-5") == []


async def test_muting_takes_what_subscribing_takes(stack: Stack) -> None:
    await stack.ask(f"subscribe {JOB}")
    refused = await stack.ask(f"mute {JOB} 2h", user=WANG)
    assert "Muted" not in refused.text
    assert "operator" in text_of_answer(refused)
    async with stack.runtime.store.transaction() as uow:
        entries = await uow.audit.recent(workspace_id="T0001")
        [row] = await uow.subscriptions.in_channel(workspace_id="T0001", channel_id="C0001")
    assert row.muted_until is None
    assert [(e.action, e.result.value) for e in entries][:1] == [("mute", "refused")]


async def test_a_lost_card_edit_retried_later_never_overwrites_a_newer_status(
    stack: Stack,
) -> None:
    await stack.ask(f"subscribe {JOB}")
    [card] = await settle(stack, lambda: card_of(stack.slack, JOB), what="the card")
    stack.slack.drop("chat.update")  # the Restarting edit is lost before Slack acts on it
    await force(stack, JOB, "Restarting")
    await settle(
        stack,
        lambda: any("now *Restarting*" in text_of(r) for r in replies(stack.slack, card)),
        what="the Restarting reply",
    )
    await force(stack, JOB, "Succeeded")
    await settle(
        stack, lambda: "Succeeded" in text_of(card_of(stack.slack, JOB)[0]), what="Succeeded"
    )

    # Let every queued message run its course, the lost edit's retry included.
    await drain(stack)
    assert "Succeeded" in text_of(card_of(stack.slack, JOB)[0])
