"""Fixtures of the browser tests: the whole demo on loopback, and headless Chromium on its page.

The demo world is frozen (clock speed 0, seed 7) so that what a test looks for stays put; the
simulator's control API moves jobs on when a test needs it. Without /usr/bin/chromium these
tests fail, never skip. A module that watches or acts overrides `demo_database_url` with
`database_url`, so that its tests run on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.demo.run import Demo, DemoOptions, running_demo
from tests.browser.cdp import chromium, missing_chromium
from tests.browser.page import Page


@pytest.fixture
def demo_database_url() -> str | None:
    """Return None: the demo keeps its store in a SQLite file of its own, as `aihc-bot demo`."""
    return None


@pytest.fixture
async def demo(tmp_path: Path, demo_database_url: str | None) -> AsyncIterator[Demo]:
    """The simulator (frozen demo world), the local workspace and the bot, as `aihc-bot demo`."""
    data = tmp_path / "data"
    data.mkdir()
    options = DemoOptions(
        data_dir=data,
        seed=7,
        clock_speed=0.0,
        poll_interval=1.0,
        database_url=demo_database_url,
    )
    async with running_demo(options, asyncio.Event()) as running:
        yield running


@pytest.fixture
def browser_installed() -> None:
    """Fail (never skip) when Chromium is missing."""
    problem = missing_chromium()
    if problem is not None:
        pytest.fail(problem)


@pytest.fixture
async def page(browser_installed: None, demo: Demo, tmp_path: Path) -> AsyncIterator[Page]:
    """Chromium with the workspace page open as alice in #general; it must throw nothing."""
    profile = tmp_path / "profile"
    profile.mkdir()
    async with chromium(profile) as session:
        opened = Page(session)
        await opened.open(f"{demo.url}?user=U0001&channel=C0001")
        yield opened
        assert opened.thrown() == []
