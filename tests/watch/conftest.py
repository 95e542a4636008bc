"""Fixtures of the watching tests: the whole bot on loopback with a fast, unpaced watcher."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.slack.harness import ALICE, Stack, running_stack


@asynccontextmanager
async def watching(
    tmp_path: Path,
    database_url: str,
    api_version: str,
    monkeypatch: pytest.MonkeyPatch,
    **settings: Any,
) -> AsyncIterator[Stack]:
    """Run the whole bot with a fast, unpaced watcher on `database_url`, speaking `api_version`."""
    monkeypatch.setenv("WATCH_PACE_SECONDS", "0")
    # A short lease, so a test sees handovers soon; still three Slack timeouts long, so a send
    # that hangs until its timeout never outlives the lease of the row it delivers.
    monkeypatch.setenv("WATCH_LEASE_SECONDS", "5")
    monkeypatch.setenv("WATCH_SLACK_TIMEOUT", "1")
    async with running_stack(
        tmp_path,
        database_url=database_url,
        aihc_default_pool="llm-a800-pool",
        bot_admins=ALICE,
        bot_poll_interval=1,
        aihc_api_version=api_version,
        **settings,
    ) as running:
        yield running


@pytest.fixture
async def stack(
    tmp_path: Path, database_url: str, api_version: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Stack]:
    """The bot on SQLite and on PostgreSQL, speaking AIHC v1 and v2, Alice as admin, a 1 s poll
    and no pacing."""
    async with watching(tmp_path, database_url, api_version, monkeypatch) as running:
        yield running


@pytest.fixture
async def zh_stack(
    tmp_path: Path, database_url: str, api_version: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Stack]:
    """The same bot speaking Chinese in channels (`BOT_LANGUAGE=zh`)."""
    async with watching(
        tmp_path, database_url, api_version, monkeypatch, bot_language="zh"
    ) as running:
        yield running
