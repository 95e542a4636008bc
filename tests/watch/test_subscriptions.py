"""The subscriptions table, its Remove buttons, Subscribe here, refusals and paused channels."""

from __future__ import annotations

import asyncio
import json

from bot.slack.ids import ActionId
from bot.workspace.payloads import block_actions_payload
from tests.slack.harness import WANG, Stack
from tests.watch.helpers import card_of, job_id, settle, text_of

JOB = "llama2-13b-pretrain-7"


async def click(stack: Stack, action: str, message: dict[str, object], user: str = "U0001") -> str:
    """Click a button of an answer; return what the bot answered."""
    url = stack.slack.response_url("W1", channel="C0001", user=user)
    payload = block_actions_payload(action, response_url=url, message=message, user_id=user)
    response = await stack.sender.block_actions(payload)
    assert response.status_code == 200
    posts = await stack.slack.wait_for(lambda: stack.slack.responses("W1"), timeout=10)
    return json.dumps(posts[-1].body, ensure_ascii=False)


async def test_the_table_shows_options_and_its_remove_button_works(stack: Stack) -> None:
    await stack.ask(f"subscribe {JOB} status,logs --on Failed,Succeeded --mention owner")
    await stack.ask("subscribe queue llm-sft")
    table = await stack.ask("subscriptions")
    shown = json.dumps(table.body, ensure_ascii=False)
    assert "only on: Failed, Succeeded" in shown
    assert "on failure pings the owner" in shown
    assert "`llm-sft`" in shown
    assert shown.count("Remove") == 2
    said = await click(stack, ActionId.REMOVE_SUBSCRIPTION, {"blocks": table.body["blocks"]})
    assert "Subscription removed" in said
    after = await stack.ask("subscriptions")
    assert json.dumps(after.body).count("Remove") == 1


async def test_subscribing_needs_the_owner_or_an_operator(stack: Stack) -> None:
    refused = await stack.ask(f"subscribe {JOB}", user=WANG)
    assert "任务所有者" in refused.text or "owner" in refused.text
    refused = await stack.ask("subscribe pool llm-a800-pool", user=WANG)
    assert "operator" in refused.text
    assert "follows nothing" in (await stack.ask("subscriptions")).text


async def test_subscribe_here_on_a_card_posts_the_status_card(stack: Stack) -> None:
    card = await stack.ask(f"job show {JOB}")
    said = await click(stack, ActionId.SUBSCRIBE_HERE, {"blocks": card.body["blocks"]})
    assert "now follows" in said
    await settle(stack, lambda: card_of(stack.slack, JOB), what="the status card")


async def test_an_archived_channel_pauses_its_subscriptions_with_the_reason(stack: Stack) -> None:
    await stack.ask(f"subscribe {JOB}")
    await settle(stack, lambda: card_of(stack.slack, JOB), what="the card")
    stack.slack.archive("C0001")
    await stack.sim_control("POST", f"/_sim/jobs/{job_id(stack, JOB)}/status", status="Restarting")

    async def paused() -> bool:
        async with stack.runtime.store.transaction() as uow:
            rows = await uow.subscriptions.in_channel(workspace_id="T0001", channel_id="C0001")
        return all(row.paused_reason for row in rows)

    for _ in range(200):
        await stack.runtime.watcher.run_once()  # type: ignore[union-attr]
        if await paused():
            break
    assert await paused()
    stack.slack.unarchive("C0001")
    table = await stack.ask("subscriptions")
    assert "paused: the channel was archived" in json.dumps(table.body)
    errors = [c for c in stack.slack.calls_to("chat.postMessage") if not c.ok]
    assert all("archived" not in json.dumps(c.params) for c in errors)


async def test_a_channel_that_removed_the_bot_pauses_until_someone_subscribes_again(
    stack: Stack,
) -> None:
    await stack.ask(f"subscribe {JOB}")
    await settle(stack, lambda: card_of(stack.slack, JOB), what="the card")
    stack.slack.kick("C0001")
    path = f"/_sim/jobs/{job_id(stack, JOB)}/status"
    await stack.sim_control("POST", path, status="Restarting")

    async def reasons() -> set[str | None]:
        async with stack.runtime.store.transaction() as uow:
            rows = await uow.subscriptions.in_channel(workspace_id="T0001", channel_id="C0001")
        return {row.paused_reason for row in rows}

    async with asyncio.timeout(20):
        while await reasons() != {"not_in_channel"}:
            await stack.runtime.watcher.run_once()  # type: ignore[union-attr]
    stack.slack.invite("C0001")
    table = await stack.ask("subscriptions")
    assert "the bot was removed from the channel" in json.dumps(table.body)
    await stack.ask(f"subscribe {JOB}")
    assert await reasons() == {None}
    await stack.sim_control("POST", path, status="Running")
    [card] = card_of(stack.slack, JOB)
    await settle(
        stack,
        lambda: any("now *Running*" in text_of(r) for r in stack.slack.thread("C0001", card.ts)),
        what="a reply after the bot came back",
    )
