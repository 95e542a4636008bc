"""Fixtures of the watching tests: the whole bot on loopback with a fast, unpaced watcher."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.slack.harness import ALICE, Stack, running_stack


@pytest.fixture
async def stack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Stack]:
    """The bot with Alice as admin, a one-second poll interval and no pacing between posts."""
    monkeypatch.setenv("WATCH_PACE_SECONDS", "0")
    monkeypatch.setenv("WATCH_LEASE_SECONDS", "5")
    monkeypatch.setenv("WATCH_SLACK_TIMEOUT", "1")
    async with running_stack(
        tmp_path,
        aihc_default_pool="llm-a800-pool",
        bot_admins=ALICE,
        bot_poll_interval=1,
    ) as running:
        yield running
