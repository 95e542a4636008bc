"""One way in: every command, button and form gets the same context, the same error words, the
same bounds; choices act only for the asker."""

from __future__ import annotations

import copy
import dataclasses
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from bot.slack.ids import ActionId, CallbackId
from bot.workspace import block_actions_payload
from bot.workspace.model import ResponsePost
from tests.slack.actions_kit import (
    ADMIN,
    OPERATOR,
    RUNNING_JOB,
    admin_stack,
    answers,
    card,
    click,
    seen,
)
from tests.slack.harness import ALICE, WANG, Stack

UNREACHABLE = "AIHC did not answer in time; please try again in a minute."
WATCHED_JOB = "llama2-13b-pretrain-7"


@pytest.fixture
async def stack(tmp_path: Path) -> AsyncIterator[Stack]:
    """The bot with an admin (U0009) and an operator (U0007)."""
    async with admin_stack(tmp_path) as running:
        await running.ask(f"role grant <@{OPERATOR}> operator", user=ADMIN)
        yield running


def elements(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the interactive elements of some blocks."""
    return [
        element
        for block in blocks
        for element in block.get("elements") or []
        if isinstance(element, dict) and "action_id" in element
    ]


async def test_an_unexpected_error_in_the_subscribe_button_is_answered_with_an_error_id(
    stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    shown = await card(stack, WATCHED_JOB)
    async with stack.runtime.store.transaction() as uow:
        await uow.session.execute(text("DROP TABLE channel_settings"))
    with caplog.at_level(logging.ERROR):
        key = await click(stack, ActionId.SUBSCRIBE_HERE, shown)
        answer = (await answers(stack, key))[0]
    failures = [r for r in caplog.records if "error_id" in r.__dict__]
    assert len(failures) == 1
    assert failures[0].exc_info is not None
    assert failures[0].__dict__["error_id"] in seen(answer)
    assert answer.response_type == "ephemeral"
    assert "channel_settings" not in seen(answer)


async def test_aihc_unreachable_is_worded_the_same_in_a_command_a_card_button_and_a_form(
    stack: Stack,
) -> None:
    shown = await card(stack, RUNNING_JOB, user=OPERATOR)
    await stack.sim_control("PUT", "/_sim/faults", drop_rate=1.0)
    command = await stack.ask("jobs", user=OPERATOR)
    refresh = (await answers(stack, await click(stack, ActionId.REFRESH, shown, user=OPERATOR)))[0]
    response, key = await stack.command("job create", user=OPERATOR)
    assert response.status_code == 200
    form = await stack.answer(key)
    assert seen(command) == UNREACHABLE
    assert seen(refresh) == UNREACHABLE
    assert seen(form) == UNREACHABLE


async def _twins(stack: Stack) -> None:
    """Give a running job a twin: a second job of the same name (AIHC allows it across time)."""
    world = stack.sim.simulator.world
    job = next(j for j in world.jobs.values() if j.name == RUNNING_JOB)
    twin = copy.deepcopy(job)
    twin.id, twin.seq = f"{job.id}-twin", job.seq + 1
    world.add_job(twin)


async def _choose(stack: Stack, answer: ResponsePost, index: int, user: str) -> ResponsePost:
    url = stack.slack.response_url(f"choose-{user}-{index}", channel="C0001", user=user)
    payload = block_actions_payload(
        f"{ActionId.CHOOSE.value}:{index}", response_url=url, message=answer.body, user_id=user
    )
    assert (await stack.sender.block_actions(payload)).status_code == 200
    return (await answers(stack, f"choose-{user}-{index}"))[0]


async def test_a_shared_ambiguous_stop_asks_privately_confirms_and_acts_only_for_the_asker(
    stack: Stack,
) -> None:
    await _twins(stack)
    answer = await stack.ask(f"job stop {RUNNING_JOB} --share", user=OPERATOR)
    assert answer.response_type == "ephemeral"
    assert not [m for m in stack.slack.messages("C0001") if RUNNING_JOB in m.text]
    choices = [e for e in elements(answer.body["blocks"]) if e["action_id"].startswith("aihc.")]
    assert len(choices) == 2
    for choice in choices:
        confirm = json.dumps(choice["confirm"], ensure_ascii=False)
        assert RUNNING_JOB in confirm
        assert "top" in confirm  # "Stop" / "stop"
    refused = await _choose(stack, answer, 0, WANG)
    assert refused.response_type == "ephemeral"
    assert f"<@{OPERATOR}>" in seen(refused)
    assert "ManualTermination" not in await statuses_of_twins(stack)
    done = await _choose(stack, answer, 0, OPERATOR)
    assert "stopped job" in seen(done)
    assert "ManualTermination" in await statuses_of_twins(stack)


async def statuses_of_twins(stack: Stack) -> list[str]:
    """Return the statuses of the running job and its twin."""
    pools = await stack.runtime.aihc.all_pools()
    pool = next(p for p in pools if p.name == "llm-a800-pool")
    jobs = [j for j in await stack.runtime.aihc.all_jobs(pool.id) if j.name == RUNNING_JOB]
    return sorted([(await stack.runtime.aihc.get_job(pool.id, j.id)).status.value for j in jobs])


async def test_a_read_choice_needs_no_confirm_but_still_belongs_to_the_asker(
    stack: Stack,
) -> None:
    await _twins(stack)
    answer = await stack.ask(f"job show {RUNNING_JOB} --share", user=OPERATOR)
    assert answer.response_type == "ephemeral"
    choices = elements(answer.body["blocks"])
    assert choices
    assert all("confirm" not in c for c in choices)
    refused = await _choose(stack, answer, 1, WANG)
    assert refused.response_type == "ephemeral"
    assert f"<@{OPERATOR}>" in seen(refused)
    shared = await _choose(stack, answer, 1, OPERATOR)
    assert shared.response_type == "in_channel"
    assert RUNNING_JOB in seen(shared)


async def test_the_owner_removes_their_own_job_subscription_with_the_remove_button(
    stack: Stack,
) -> None:
    pools = await stack.runtime.aihc.all_pools()
    pool = next(p for p in pools if p.name == "llm-a800-pool")
    job = next(j for j in await stack.runtime.aihc.all_jobs(pool.id) if j.name == WATCHED_JOB)
    creator = (await stack.runtime.aihc.get_job(pool.id, job.id)).creator
    assert creator
    await stack.ask(f"link <@{ALICE}> {creator}", user=ADMIN)
    assert "now follows" in seen(await stack.ask(f"subscribe {WATCHED_JOB}"))
    table = await stack.ask("subscriptions")
    url = stack.slack.response_url("remove", channel="C0001", user=ALICE)
    payload = block_actions_payload(
        ActionId.REMOVE_SUBSCRIPTION, response_url=url, message=table.body, user_id=ALICE
    )
    assert (await stack.sender.block_actions(payload)).status_code == 200
    said = (await answers(stack, "remove"))[0]
    assert "Subscription removed" in seen(said)
    assert "follows nothing" in seen(await stack.ask("subscriptions"))


async def test_a_40000_character_command_gets_one_short_message_before_any_parsing(
    stack: Stack,
) -> None:
    response, key = await stack.command("job show " + "x" * 40_000)
    assert response.status_code == 200
    answer = await stack.answer(key)
    assert "too long" in seen(answer)
    assert len(seen(answer)) < 300
    assert b'command="unparsed"' not in stack.runtime.metrics.exposition()
    zh = await stack.ask("job show " + "“" * 40_000, user=WANG)
    assert "太长" in seen(zh)
    assert len(stack.slack.responses(key)) == 1


async def test_the_fourth_command_in_flight_of_one_person_is_answered_busy(stack: Stack) -> None:
    await stack.ask("jobs")  # the locale is known: the next commands go straight to AIHC
    await stack.sim_control("PUT", "/_sim/faults", latency_ms=3000)
    keys = []
    for _ in range(4):
        response, key = await stack.command("jobs")
        assert response.status_code == 200
        keys.append(key)
    busy = await stack.answer(keys[3])
    assert "busy" in seen(busy)
    assert all(stack.slack.responses(k) == [] for k in keys[:3])
    other = await stack.command("pools", user=WANG)
    await stack.sim_control("PUT", "/_sim/faults", latency_ms=0)
    for key in keys[:3]:
        assert "busy" not in seen(await stack.answer(key))
    assert "busy" not in seen(await stack.answer(other[1]))


async def test_a_form_command_goes_through_the_one_grammar(stack: Stack) -> None:
    # `job terminal` is in the table: with --share it still answers the asker alone.
    answer = await stack.ask(f"job terminal {RUNNING_JOB} --share", user=OPERATOR)
    assert answer.response_type == "ephemeral"
    assert "Only you can see this" in seen(answer)
    # Spelled with extra spaces and upper case, `job create` still opens the form.
    response, _ = await stack.command("  JOB   Create  ", user=OPERATOR)
    assert response.status_code == 200
    await stack.slack.wait_for(
        lambda: [
            v for v in stack.slack.views() if v.view.get("callback_id") == CallbackId.JOB_CREATE
        ],
        timeout=15,
        what="the job form",
    )


async def test_an_old_write_choice_without_its_asker_is_refused_as_stale(stack: Stack) -> None:
    """A choice button posted before choices named their asker acts for nobody: it carries no
    confirm and anyone in the channel could click it, so a write verb in it is refused."""
    await _twins(stack)
    answer = await stack.ask(f"job stop {RUNNING_JOB}", user=OPERATOR)
    old = json.loads(json.dumps(answer.body))
    for element in elements(old["blocks"]):
        if element["action_id"].startswith(ActionId.CHOOSE.value):
            value = json.loads(element["value"])
            value.pop("user", None)  # as the old bot wrote it
            element["value"] = json.dumps(value)
            element.pop("confirm", None)
    old_answer = dataclasses.replace(answer, body=old)
    refused = await _choose(stack, old_answer, 0, OPERATOR)
    assert "stopped job" not in seen(refused)
    assert "ManualTermination" not in await statuses_of_twins(stack)
