"""The App Home tab over the real HTTP path: opened, refreshed, paged, and acted on."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.domain import CREATOR_LABEL
from bot.slack.ids import ActionId
from bot.slack.refs import HomePage, JobKey
from bot.store import AuditResult
from bot.workspace import View, home_opened_payload, view_action_payload
from tests.slack.actions_kit import (
    ADMIN,
    OPERATOR,
    RUNNING_JOB,
    admin_stack,
    audit,
    entries,
    job_status,
)
from tests.slack.harness import ALICE, WANG, Stack
from tests.slack.render.visible import shown


@pytest.fixture
async def home_stack(tmp_path: Path, api_version: str) -> AsyncIterator[Stack]:
    """The whole bot with an admin and an operator, speaking each AIHC API version."""
    async with admin_stack(tmp_path, aihc_api_version=api_version) as stack:
        await stack.ask(f"role grant <@{OPERATOR}> operator", user=ADMIN)
        yield stack


async def own_running_job(stack: Stack) -> None:
    """Link alice to the AIHC user who created the running job, so that it is hers."""
    pools = await stack.runtime.aihc.all_pools()
    pool = next(p for p in pools if p.name == "llm-a800-pool")
    job = next(j for j in await stack.runtime.aihc.all_jobs(pool.id) if j.name == RUNNING_JOB)
    await stack.ask(f"link <@{ALICE}> {job.creator}", user=ADMIN)


async def _published(stack: Stack, user: str, after: int) -> View:
    view: View = await stack.slack.wait_for(
        lambda: (v := stack.slack.home(user)) is not None and v.versions > after and v,
        timeout=15,
        what=f"the Home of {user} published",
    )
    return view


def _version(stack: Stack, user: str) -> int:
    view = stack.slack.home(user)
    return view.versions if view is not None else 0


async def open_home(stack: Stack, user: str = ALICE) -> View:
    """Open the app's Home tab as `user`; return the view the bot publishes."""
    before = _version(stack, user)
    response = await stack.sender.event(home_opened_payload(user))
    assert response.status_code == 200, response.text
    return await _published(stack, user, before)


async def press(stack: Stack, action_id: str, value: str, user: str = ALICE) -> View:
    """Press a button on the user's Home (after its confirm, if any); return Home re-published."""
    home = stack.slack.home(user)
    assert home is not None
    payload = view_action_payload(action_id, home, value=value, user_id=user)
    response = await stack.sender.block_actions(payload)
    assert response.status_code == 200, response.text
    return await _published(stack, user, home.versions)


def button(view: View, action_id: str, job: str | None = None) -> dict[str, Any]:
    """Return a button on Home (one of a job's card buttons, when `job` is named)."""
    blocks: list[dict[str, Any]] = view.view["blocks"]
    for index, block in enumerate(blocks):
        for element in block.get("elements") or []:
            if element.get("action_id") != action_id:
                continue
            if job is None or job in shown(blocks[max(0, index - 2) : index]):
                return dict(element)
    raise AssertionError(f"no {action_id} button" + (f" for {job}" if job else ""))


def button_value(view: View, action_id: str, job: str | None = None) -> str:
    """Return the value of a button on Home."""
    return str(button(view, action_id, job)["value"])


async def test_an_owner_sees_their_jobs_with_the_card_buttons_and_their_channels(
    home_stack: Stack,
) -> None:
    stack = home_stack
    await own_running_job(stack)
    await stack.ask(f"subscribe {RUNNING_JOB}", channel="C0001")
    view = await open_home(stack)
    text = shown(view.view["blocks"])
    assert "Your AIHC jobs" in text
    assert "Your role: *member" in text
    assert "Linked AIHC user:" in text
    assert RUNNING_JOB in text
    assert "Followed in <#C0001>" in text
    key = JobKey.model_validate_json(button_value(view, ActionId.STOP_JOB, RUNNING_JOB))
    assert key.job.startswith(("pytorchjob-", "job-"))
    for action in (ActionId.SHOW_LOGS, ActionId.SHOW_EVENTS, ActionId.REFRESH):
        button_value(view, action, RUNNING_JOB)
    assert HomePage.model_validate_json(button_value(view, ActionId.HOME_REFRESH)).page == 0


async def test_an_operator_sees_their_role_and_a_stranger_is_told_they_own_nothing(
    home_stack: Stack,
) -> None:
    operator = shown((await open_home(home_stack, OPERATOR)).view["blocks"])
    assert "Your role: *operator*" in operator
    stranger = shown((await open_home(home_stack, WANG)).view["blocks"])
    assert "你没有运行中、排队中或最近失败的任务" in stranger
    assert "你尚未关联 AIHC 用户" in stranger


async def test_refresh_publishes_home_again_on_the_page_shown(home_stack: Stack) -> None:
    stack = home_stack
    await own_running_job(stack)
    first = await open_home(stack)
    again = await press(stack, ActionId.HOME_REFRESH, button_value(first, ActionId.HOME_REFRESH))
    assert again.id == first.id
    assert RUNNING_JOB in shown(again.view["blocks"])
    assert HomePage.model_validate_json(again.view["private_metadata"]).page == 0


async def test_opening_the_messages_tab_publishes_nothing(home_stack: Stack) -> None:
    stack = home_stack
    response = await stack.sender.event(home_opened_payload(ALICE, tab="messages"))
    assert response.status_code == 200
    await open_home(stack, OPERATOR)  # a later event is handled: the first one was passed over
    assert stack.slack.home(ALICE) is None


async def test_a_stop_pressed_on_home_stops_the_job_says_so_and_is_audited(
    tmp_path: Path, database_url: str
) -> None:
    async with admin_stack(tmp_path, database_url=database_url) as stack:
        await own_running_job(stack)
        view = await open_home(stack)
        stop = button(view, ActionId.STOP_JOB, RUNNING_JOB)
        assert RUNNING_JOB in stop["confirm"]["text"]["text"]  # Slack asks before it sends
        after = await press(stack, ActionId.STOP_JOB, stop["value"])
        assert await job_status(stack, RUNNING_JOB) == "ManualTermination"
        told = await stack.slack.wait_for(
            lambda: [m for m in stack.slack.messages("D0001") if "stopped" in shown(m.blocks)],
            timeout=15,
            what="the stop told in a direct message",
        )
        assert f"<@{ALICE}>" in shown(told[0].blocks)
        assert RUNNING_JOB not in shown(after.view["blocks"])  # stopped: no longer running
        done = entries(await audit(stack), "job.stop", AuditResult.OK)
        assert [e.actor_id for e in done] == [ALICE]


async def test_many_jobs_page_on_home_and_next_shows_the_next_page(home_stack: Stack) -> None:
    stack = home_stack
    mix = {"Running": 0.7, "Pending": 0.3}
    await stack.sim_control(
        "POST", "/_sim/populate", pools=1, queues_per_pool=1, jobs=280, status_mix=mix
    )
    creators = Counter(job.labels[CREATOR_LABEL] for job in stack.sim.simulator.world.jobs.values())
    creator, count = creators.most_common(1)[0]
    assert count > 40  # more jobs than one page of 100 blocks holds
    await stack.ask(f"link <@{ALICE}> {creator}", user=ADMIN)
    first = await open_home(stack)
    blocks = first.view["blocks"]
    assert len(blocks) <= 100
    assert "Page 1 of " in shown(blocks)
    second = await press(stack, ActionId.HOME_NEXT, button_value(first, ActionId.HOME_NEXT))
    assert "Page 2 of " in shown(second.view["blocks"])
    assert len(second.view["blocks"]) <= 100
    assert HomePage.model_validate_json(second.view["private_metadata"]).page == 1
    back = await press(stack, ActionId.HOME_PREVIOUS, button_value(second, ActionId.HOME_PREVIOUS))
    assert "Page 1 of " in shown(back.view["blocks"])


async def test_every_card_button_on_home_answers_in_a_direct_message_or_on_home(
    home_stack: Stack,
) -> None:
    stack = home_stack
    await own_running_job(stack)
    view = await open_home(stack)

    def told(text: str) -> list[str]:
        if "D0001" not in stack.slack.workspace.channels:  # no direct message yet
            return []
        said = [shown(m.blocks) or m.text for m in stack.slack.messages("D0001")]
        return [s for s in said if text in s]

    slack = stack.slack
    for action, text in ((ActionId.SHOW_LOGS, "Log of pod"), (ActionId.SHOW_EVENTS, "Events of")):
        payload = view_action_payload(
            action, view, value=button_value(view, action, RUNNING_JOB), user_id=ALICE
        )
        assert (await stack.sender.block_actions(payload)).status_code == 200
        await slack.wait_for(lambda t=text: told(t), timeout=15, what=f"{text} in a DM")

    refreshed = await press(
        stack, ActionId.REFRESH, button_value(view, ActionId.REFRESH, RUNNING_JOB)
    )
    assert RUNNING_JOB in shown(refreshed.view["blocks"])

    menu = button(refreshed, ActionId.SET_PRIORITY, RUNNING_JOB)
    low = next(o["value"] for o in menu["options"] if '"low"' in o["value"])
    after = await press(stack, ActionId.SET_PRIORITY, low)
    await slack.wait_for(lambda: told("to low"), timeout=15, what="the priority change in a DM")
    menu = button(after, ActionId.SET_PRIORITY, RUNNING_JOB)
    assert '"low"' in menu["initial_option"]["value"]  # Home shows the job as it is now


async def test_opening_home_again_within_a_minute_shows_it_as_published(home_stack: Stack) -> None:
    # Each gathering costs up to a hundred AIHC reads; Slack sends the event at every opening.
    stack = home_stack
    await own_running_job(stack)
    first = await open_home(stack)
    again = await stack.sender.event(home_opened_payload(ALICE, view=stack.slack.home(ALICE)))
    assert again.status_code == 200
    await open_home(stack, OPERATOR)  # a later event is handled: the one before it was done
    assert _version(stack, ALICE) == first.versions
    await stack.sim_control("POST", "/_sim/clock/advance", seconds=61)
    before = _version(stack, ALICE)
    later = await stack.sender.event(home_opened_payload(ALICE, view=stack.slack.home(ALICE)))
    assert later.status_code == 200
    assert RUNNING_JOB in shown((await _published(stack, ALICE, before)).view["blocks"])
