"""What AIHC API v2 lacks (queue writes, pool nodes): one short line, and help hides it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.aihc.v2.client import AihcV2Client
from bot.domain import ApiVersion
from tests.slack.actions_kit import ADMIN, admin_stack, audit, seen
from tests.slack.harness import WANG, Stack
from tests.versions import v1_only

POOL = "llm-a800-pool"
QUEUE = "llm-pretrain"
V1_ONLY_LINES = ("queue create", "queue update", "queue delete", "pool nodes", "/aihc nodes")


@pytest.fixture
async def v2(tmp_path: Path) -> AsyncIterator[Stack]:
    """The whole bot speaking AIHC API v2, U0009 an admin."""
    async with admin_stack(tmp_path, aihc_api_version="v2") as running:
        yield running


def _queues(stack: Stack) -> set[str]:
    pool = next(p for p in stack.sim.simulator.world.pools.values() if p.name == POOL)
    return set(stack.sim.simulator.world.queues[pool.id])


async def test_the_runtime_speaks_v2_in_the_watcher_and_in_commands(v2: Stack) -> None:
    assert isinstance(v2.runtime.aihc, AihcV2Client)
    assert v2.runtime.aihc_interactive.api_version is ApiVersion.V2


@pytest.mark.parametrize(
    ("command", "operation"),
    [
        ("queue create fresh-q --deserved gpu=8", "queue create"),
        ("queue create", "queue create"),
        (f"queue update {QUEUE} --deserved gpu=8", "queue update"),
        (f"queue delete {QUEUE}", "queue delete"),
        ("queue delete", "queue delete"),
        ("nodes", "pool nodes"),
        (f"pool nodes {POOL}", "pool nodes"),
        ("help queue create", "queue create"),
    ],
)
async def test_what_v2_lacks_gets_one_line_in_english_and_chinese(
    v2: Stack, command: str, operation: str
) -> None:
    before = _queues(v2)
    english = seen(await v2.ask(command, user=ADMIN))
    assert english == f"`{operation}` is not available in AIHC API v2."
    chinese = seen(await v2.ask(command, user=WANG))
    assert chinese == f"AIHC API v2 不提供 `{operation}`，该操作不可用。"
    assert _queues(v2) == before
    assert await audit(v2) == []


@v1_only
async def test_help_hides_what_v2_lacks_and_shows_it_in_v1(v2: Stack, stack: Stack) -> None:
    hidden = seen(await v2.ask("help"))
    for line in V1_ONLY_LINES:
        assert line not in hidden
    assert "queue show" in hidden
    assert "job list" in hidden
    full = seen(await stack.ask("help"))
    for line in V1_ONLY_LINES:
        assert line in full
    # Nor is a command v2 lacks suggested for a near miss.
    assert "queue create" not in seen(await v2.ask("queue creat x"))
    assert "queue create" in seen(await stack.ask("queue creat x"))


@v1_only
async def test_v1_still_lists_nodes(stack: Stack) -> None:
    assert "not available" not in seen(await stack.ask("nodes"))
