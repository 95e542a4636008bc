"""Stop, priority and delete over the real HTTP path: commands, card buttons, roles, audit."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.domain import ApiVersion
from bot.slack.ids import ActionId
from bot.store import AuditResult
from bot.workspace import block_actions_payload
from tests.slack.actions_kit import (
    ADMIN,
    FAILED_JOB,
    OPERATOR,
    RUNNING_JOB,
    admin_stack,
    answers,
    audit,
    buttons,
    card,
    channel_card,
    click,
    entries,
    job_status,
    seen,
)
from tests.slack.harness import WANG, Stack


@pytest.fixture
async def stack(tmp_path: Path, database_url: str, api_version: str) -> AsyncIterator[Stack]:
    """The bot with an admin (U0009) and an operator (U0007), on each database and AIHC API."""
    async with admin_stack(
        tmp_path, database_url=database_url, aihc_api_version=api_version
    ) as running:
        await running.ask(f"role grant <@{OPERATOR}> operator", user=ADMIN)
        yield running


async def test_a_user_without_a_role_is_refused_and_told_who_can_grant(stack: Stack) -> None:
    answer = await stack.ask(f"stop {RUNNING_JOB}")
    text = seen(answer)
    assert "operator" in text
    assert f"<@{ADMIN}>" in text
    assert await job_status(stack, RUNNING_JOB) == "Running"
    refused = entries(await audit(stack), "job.stop", AuditResult.REFUSED)
    assert [e.actor_id for e in refused] == ["U0001"]
    zh = seen(await stack.ask(f"job stop {RUNNING_JOB}", user=WANG))
    assert "角色" in zh


async def test_an_operator_stops_a_job_and_the_audit_keeps_the_request_id(stack: Stack) -> None:
    answer = await stack.ask(f"job stop {RUNNING_JOB}", user=OPERATOR)
    assert "stopped job" in seen(answer)
    assert await job_status(stack, RUNNING_JOB) == "ManualTermination"
    assert ActionId.STOP_JOB.value not in buttons(answer.body["blocks"])
    done = entries(await audit(stack), "job.stop", AuditResult.OK)
    assert len(done) == 1
    assert done[0].actor_id == OPERATOR
    assert done[0].aihc_request_id


async def test_the_stop_button_updates_a_private_card_in_place(stack: Stack) -> None:
    shown_card = await card(stack, RUNNING_JOB, user=OPERATOR)
    assert ActionId.STOP_JOB.value in buttons(shown_card.blocks)
    key = await click(stack, ActionId.STOP_JOB, shown_card, user=OPERATOR)
    posts = await answers(stack, key, 2)
    replaced = [p for p in posts if p.body.get("replace_original")]
    assert replaced
    assert ActionId.STOP_JOB.value not in buttons(replaced[0].body["blocks"])
    assert ActionId.SET_PRIORITY.value not in buttons(replaced[0].body["blocks"])
    assert ActionId.REFRESH.value in buttons(replaced[0].body["blocks"])
    assert await job_status(stack, RUNNING_JOB) == "ManualTermination"


async def test_the_stop_button_on_a_channel_card_edits_it_and_says_so_in_the_thread(
    stack: Stack,
) -> None:
    message = await channel_card(stack, RUNNING_JOB)
    await click(stack, ActionId.STOP_JOB, message, user=OPERATOR)
    updated = await stack.slack.wait_for(
        lambda: [m for m in stack.slack.messages("C0001") if m.ts == message.ts and m.edits],
        timeout=15,
        what="the card edited",
    )
    assert ActionId.STOP_JOB.value not in buttons(updated[0].blocks)
    thread = await stack.slack.wait_for(
        lambda: [m for m in stack.slack.thread("C0001", message.ts) if m.ts != message.ts],
        timeout=15,
        what="a thread line",
    )
    assert f"<@{OPERATOR}>" in seen(thread[0])
    assert "stopped" in seen(thread[0])


async def test_a_double_clicked_stop_stops_once_and_audits_once(stack: Stack) -> None:
    shown_card = await card(stack, RUNNING_JOB, user=OPERATOR)
    await stack.sim_control("POST", "/_sim/stats/reset")
    payloads = [
        block_actions_payload(
            ActionId.STOP_JOB,
            response_url=stack.slack.response_url(key, user=OPERATOR, message_ts=shown_card.ts),
            message=shown_card,
            user_id=OPERATOR,
        )
        for key in ("D1", "D2")
    ]
    sent = await asyncio.gather(*(stack.sender.block_actions(p) for p in payloads))
    assert [r.status_code for r in sent] == [200, 200]
    await answers(stack, "D1", 2)
    await answers(stack, "D2", 2)
    stats = await stack.sim_control("GET", "/_sim/stats")
    stops = {op: n for op, n in stats["operations"].items() if "stop" in op.lower()}
    assert list(stops.values()) == [1], stats["operations"]
    assert len(entries(await audit(stack), "job.stop", AuditResult.OK)) == 1


async def test_a_finished_job_has_no_stop_or_priority_controls(stack: Stack) -> None:
    shown_card = await card(stack, FAILED_JOB)
    assert ActionId.STOP_JOB.value not in buttons(shown_card.blocks)
    assert ActionId.SET_PRIORITY.value not in buttons(shown_card.blocks)
    assert {ActionId.SHOW_LOGS.value, ActionId.SUBSCRIBE_HERE.value} <= buttons(shown_card.blocks)
    answer = await stack.ask(f"stop {FAILED_JOB}", user=OPERATOR)
    assert "already ended" in seen(answer)
    assert not entries(await audit(stack), "job.stop", AuditResult.OK)


async def test_the_owner_changes_priority_through_the_menu(stack: Stack) -> None:
    pools = await stack.runtime.aihc.all_pools()
    pool = next(p for p in pools if p.name == "llm-a800-pool")
    job = next(j for j in await stack.runtime.aihc.all_jobs(pool.id) if j.name == RUNNING_JOB)
    shown_card = await card(stack, RUNNING_JOB)
    value = next(
        option["value"]
        for block in shown_card.blocks
        for element in block.get("elements") or []
        if element.get("action_id") == ActionId.SET_PRIORITY
        for option in element["options"]
        if '"low"' in option["value"]
    )
    refused = await click(stack, ActionId.SET_PRIORITY, shown_card, value=value)
    assert "owner" in seen((await answers(stack, refused))[0])
    await stack.ask(f"link <@U0001> {job.creator}", user=ADMIN)
    key = await click(stack, ActionId.SET_PRIORITY, shown_card, value=value)
    posts = await answers(stack, key, 2)
    assert any("to low" in seen(p) for p in posts)
    after = await stack.runtime.aihc.get_job(pool.id, job.id, queue=job.queue)
    assert after.priority is not None
    assert after.priority.value == "low"
    assert entries(await audit(stack), "job.priority", AuditResult.OK)[0].detail == "low"


async def test_priority_by_command_and_an_unchanged_priority(stack: Stack) -> None:
    answer = await stack.ask(f"priority {RUNNING_JOB} high", user=OPERATOR)
    assert "to high" in seen(answer)
    again = await stack.ask(f"priority {RUNNING_JOB} high", user=OPERATOR)
    assert "already has priority" in seen(again)
    bad = await stack.ask(f"priority {RUNNING_JOB} urgent", user=OPERATOR)
    assert "not a priority" in seen(bad)
    assert len(entries(await audit(stack), "job.priority", AuditResult.OK)) == 1


async def test_only_admins_delete_jobs(stack: Stack) -> None:
    refused = await stack.ask(f"job delete {FAILED_JOB}", user=OPERATOR)
    assert "admin" in seen(refused)
    done = await stack.ask(f"job delete {FAILED_JOB}", user=ADMIN)
    assert "deleted job" in seen(done)
    gone = await stack.ask(f"job show {FAILED_JOB}")
    assert "No job" in seen(gone)
    trail = await audit(stack)
    assert len(entries(trail, "job.delete", AuditResult.REFUSED)) == 1
    assert len(entries(trail, "job.delete", AuditResult.OK)) == 1


async def test_a_channel_limited_to_other_pools_cannot_touch_this_one(stack: Stack) -> None:
    done = await stack.ask("config pools cv-h800-pool", user=ADMIN, channel="C0002")
    assert "cv-h800-pool" in seen(done)
    refused = await stack.ask(
        f"stop {RUNNING_JOB} --pool llm-a800-pool", user=ADMIN, channel="C0002"
    )
    assert "may not act on pool" in seen(refused)
    assert await job_status(stack, RUNNING_JOB) == "Running"
    elsewhere = await stack.ask(f"stop {RUNNING_JOB}", user=OPERATOR, channel="C0001")
    assert "stopped job" in seen(elsewhere)


async def test_logs_events_and_refresh_buttons(stack: Stack) -> None:
    shown_card = await card(stack, RUNNING_JOB)
    logs = await click(stack, ActionId.SHOW_LOGS, shown_card)
    assert "Log of pod" in seen((await answers(stack, logs))[0])
    events = await click(stack, ActionId.SHOW_EVENTS, shown_card)
    assert "Events" in seen((await answers(stack, events))[0])
    refresh = await click(stack, ActionId.REFRESH, shown_card)
    post = (await answers(stack, refresh))[0]
    assert post.body.get("replace_original") is True
    assert RUNNING_JOB in seen(post)
    assert not await audit(stack) or all(e.action == "role.grant" for e in await audit(stack))


async def test_stop_and_priority_ask_for_confirmation_first(stack: Stack) -> None:
    shown_card = await card(stack, RUNNING_JOB)
    elements = {
        element["action_id"]: element
        for block in shown_card.blocks
        for element in block.get("elements") or []
        if "action_id" in element
    }
    stop = elements[ActionId.STOP_JOB]
    assert stop["style"] == "danger"
    assert stop["confirm"]["style"] == "danger"
    assert RUNNING_JOB in stop["confirm"]["text"]["text"]
    assert elements[ActionId.SET_PRIORITY]["confirm"]["confirm"]["text"] == "Change it"
    zh = await card(stack, RUNNING_JOB, user=WANG)
    assert "停止" in str(zh.blocks)


async def test_help_lists_the_new_commands_in_both_languages(stack: Stack) -> None:
    english = seen(await stack.ask("help"))
    for usage in ("job stop", "job priority", "config pools", "role grant", "audit"):
        assert usage in english
    # v2 has no queue writes: help leaves them out there (tests/slack/test_api_versions.py).
    assert ("queue create" in english) is (stack.runtime.aihc.api_version is ApiVersion.V1)
    assert "Roles and audit" in english
    assert "角色与审计" in seen(await stack.ask("help", user=WANG))
    one = seen(await stack.ask("help job terminal"))
    assert "only for you" in one


async def test_a_refused_click_on_a_channel_card_leaves_it_alone_and_answers_privately(
    stack: Stack,
) -> None:
    message = await channel_card(stack, RUNNING_JOB)
    key = await click(stack, ActionId.STOP_JOB, message, user=WANG)
    refusal = (await answers(stack, key))[0]
    assert refusal.response_type == "ephemeral"
    assert refusal.body.get("replace_original") is False
    assert "角色" in seen(refusal)
    assert not [m for m in stack.slack.messages("C0001") if m.ts == message.ts and m.edits]
    assert not [m for m in stack.slack.thread("C0001", message.ts) if m.ts != message.ts]
    assert entries(await audit(stack), "job.stop", AuditResult.REFUSED)[0].actor_id == WANG


async def test_a_priority_change_on_a_channel_card_is_told_in_the_thread(stack: Stack) -> None:
    message = await channel_card(stack, RUNNING_JOB)
    value = next(
        option["value"]
        for block in message.blocks
        for element in block.get("elements") or []
        if element.get("action_id") == ActionId.SET_PRIORITY
        for option in element["options"]
        if '"high"' in option["value"]
    )
    await click(stack, ActionId.SET_PRIORITY, message, user=OPERATOR, value=value)
    thread = await stack.slack.wait_for(
        lambda: [m for m in stack.slack.thread("C0001", message.ts) if m.ts != message.ts],
        timeout=15,
        what="a thread line",
    )
    assert "to high" in seen(thread[0])
    edited = [m for m in stack.slack.messages("C0001") if m.ts == message.ts]
    assert edited[0].edits == 1
