"""A name that several jobs or pools share asks which one; the choice runs the command by id."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.runtime import build_slack_deps
from bot.services.actor import Actor
from bot.slack.commands.context import CommandContext, CommandRef
from bot.slack.commands.dispatch import Dispatcher
from bot.slack.commands.grammar import Grammar
from bot.slack.commands.reads import READ_HANDLERS
from bot.slack.commands.reads_table import READ_COMMANDS
from bot.store import Store
from bot.store.migrate import upgrade_in_thread
from tests.aihc.fake import FakeAihc, ok
from tests.clocks import FixedClock
from tests.slack.render.visible import shown

ACTOR = Actor(team_id="T1", channel_id="C1", user_id="U1")
POOLS = {
    "resourcePools": [
        {"metadata": {"id": "cce-a", "name": "shared"}, "spec": {"region": "bj"}},
        {"metadata": {"id": "cce-b", "name": "shared"}, "spec": {"region": "gz"}},
        {"metadata": {"id": "cce-c", "name": "solo"}},
    ]
}
TWINS = {
    "jobs": [
        {"jobId": "pytorchjob-1", "name": "twin", "status": "Running"},
        {"jobId": "pytorchjob-2", "name": "twin", "status": "Failed"},
    ]
}


@pytest.fixture
async def dispatch(tmp_path: Path, fake: FakeAihc) -> tuple[Dispatcher, CommandContext]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await upgrade_in_thread(url)
    store = Store.from_url(url)
    fake.on("GET", "/api/v1/resourcepools", ok({"result": POOLS}))
    fake.on("GET", "/api/v1/aijobs", ok({"result": TWINS}))
    fake.on("GET", "/api/v1/aijobs/pytorchjob-2", ok({"result": TWINS["jobs"][1]}))
    clock = FixedClock(datetime(2026, 11, 26, tzinfo=UTC))
    deps = build_slack_deps(store=store, aihc=fake.client(), clock=clock, default_pool="solo")
    ctx = CommandContext(deps=deps, actor=ACTOR, lang="en", now=deps.clock())
    yield Dispatcher(Grammar(READ_COMMANDS), READ_HANDLERS), ctx
    await store.dispose()


@pytest.fixture
def fake() -> FakeAihc:
    return FakeAihc()


def choices(blocks: list[dict[str, object]]) -> list[tuple[str, CommandRef]]:
    """The buttons of a choice message: (label, the command each one runs)."""
    found = []
    for block in blocks:
        for element in block.get("elements", []):  # type: ignore[attr-defined]
            if str(element.get("action_id", "")).startswith("aihc.choose"):
                ref = CommandRef.model_validate_json(element["value"])
                found.append((element["text"]["text"], ref))
    return found


async def test_a_shared_job_name_asks_which_one(
    dispatch: tuple[Dispatcher, CommandContext],
) -> None:
    dispatcher, ctx = dispatch
    reply, share = await dispatcher.run(ctx, "logs twin --tail 5 --share")
    assert not share  # the choices go to the asker alone; the chosen answer is shared
    options = choices(reply.blocks)
    assert {ref.user for _, ref in options} == {ACTOR.user_id}
    assert "twin" in shown(reply.blocks)
    assert [ref.line for _, ref in options] == [
        "job logs pytorchjob-1 --tail=5 --share",
        "job logs pytorchjob-2 --tail=5 --share",
    ]
    assert any("Failed" in label for label, _ in options)
    chosen, _ = await dispatcher.run(ctx, "job show pytorchjob-2")
    assert "twin" in shown(chosen.blocks)


async def test_a_shared_pool_name_asks_which_one(
    dispatch: tuple[Dispatcher, CommandContext],
) -> None:
    dispatcher, ctx = dispatch
    reply, _ = await dispatcher.run(ctx, "jobs --pool shared --status running")
    lines = [ref.line for _, ref in choices(reply.blocks)]
    assert lines == [
        "job list --pool=cce-a --status=running",
        "job list --pool=cce-b --status=running",
    ]
