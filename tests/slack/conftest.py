"""Fixtures of the Slack tests: the whole bot on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.slack.harness import Stack, running_stack


@pytest.fixture
async def stack(tmp_path: Path) -> AsyncIterator[Stack]:
    """The bot, the AIHC simulator (demo world) and the fake Slack, with the first pool default."""
    async with running_stack(tmp_path, aihc_default_pool="llm-a800-pool") as running:
        yield running
