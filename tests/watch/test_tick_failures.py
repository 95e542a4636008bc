"""A failing tick: a bug is logged with its traceback; a database outage in one line a minute."""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.exc import OperationalError

from bot.settings import WatchSettings
from bot.store import Store
from bot.watch.config import WatchConfig
from bot.watch.engine import Watcher
from bot.watch.failures import QUIET_SECONDS, TickFailures
from tests.slack.harness import Stack
from tests.watch.helpers import watcher_of


def _refused() -> OperationalError:
    orig = psycopg.OperationalError("connection failed: Connection refused")
    return OperationalError("SELECT 1", {}, orig)


def _raised(error: Exception) -> Exception:
    try:
        raise error
    except Exception as caught:
        return caught


def test_a_database_outage_is_one_line_a_minute_per_tick(caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    failures = TickFailures(clock=lambda: now[0])
    with caplog.at_level(logging.INFO):
        for second in range(0, 130, 1):
            now[0] = float(second)
            failures.failed("poll", _raised(_refused()))
        failures.failed("drain", _raised(_refused()))
    # Told at 0, 60 and 120 s for `poll`, once for `drain`: each without a traceback.
    assert [r.tick for r in caplog.records] == ["poll", "poll", "poll", "drain"]  # type: ignore[attr-defined]
    assert QUIET_SECONDS == 60
    for record in caplog.records:
        assert (record.levelno, record.exc_info) == (logging.WARNING, None)
        assert "the database is unreachable: connection failed: Connection refused" in (
            record.getMessage()
        )


def test_any_other_failure_keeps_its_traceback(caplog: pytest.LogCaptureFixture) -> None:
    failures = TickFailures()
    with caplog.at_level(logging.INFO):
        failures.failed("poll", _raised(KeyError("pool")))
        failures.failed("poll", _raised(KeyError("pool")))
    assert [r.levelno for r in caplog.records] == [logging.ERROR, logging.ERROR]
    assert all(r.exc_info is not None for r in caplog.records)


async def test_a_watcher_whose_database_is_gone_logs_no_tracebacks(
    stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    # PostgreSQL's socket folder with no server in it: every connection is refused.
    gone = Path(tempfile.mkdtemp(prefix="pgg-", dir="/tmp"))
    first = watcher_of(stack)
    watcher = Watcher(
        store=Store.from_url(f"postgresql+psycopg://aihc@/aihc_bot?host={gone}"),
        aihc=stack.runtime.aihc,
        sender=first.deliverer.sender,
        config=WatchConfig(poll_interval=30, settings=WatchSettings(tick_seconds=0.2)),
        clock=stack.runtime.clock,
    )
    told: set[str] = set()
    with caplog.at_level(logging.INFO, logger="bot.watch"):
        watcher.start()
        try:
            async with asyncio.timeout(30):
                while not {"sweep", "poll", "drain"} <= told:
                    told = {getattr(r, "tick", "") for r in caplog.records}
                    await asyncio.sleep(0.05)
        finally:
            await watcher.stop()
            await watcher.store.dispose()
            shutil.rmtree(gone, ignore_errors=True)
    failures = [r for r in caplog.records if r.name.startswith("bot.watch")]
    assert all(r.exc_info is None for r in failures), [r.getMessage() for r in failures]
    ticks = [getattr(r, "tick", "") for r in failures]
    assert len(ticks) == len(set(ticks)), ticks  # one line per tick, not one per second
