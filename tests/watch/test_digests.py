"""Channel digests on a schedule, end to end: commands, the leased tick, delivery with a chart.

The digest's contents are another part's (`bot.services.digests`); these tests read its heading
("Daily digest") and follow where and when it goes, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, time, timedelta, tzinfo
from pathlib import Path

import pytest

from bot.domain.digest import Digest, DigestPeriod
from bot.services.digest_times import Schedule
from bot.settings import WatchSettings
from bot.slack.render.charts import ChartFile
from bot.slack.sender import SlackChatSender
from bot.store import AuditResult, Store
from bot.watch.config import WatchConfig
from bot.watch.engine import Watcher
from bot.workspace.model import Message
from tests.slack.actions_kit import audit, entries, seen
from tests.slack.harness import Stack
from tests.watch.conftest import watching
from tests.watch.helpers import CHANNEL, key_of, settle, text_of, watcher_of

SHANGHAI = Schedule(DigestPeriod.DAILY, time(9, 0), "Asia/Shanghai")
STRANGER = "U0077"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
async def stack(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Stack]:
    """The watching bot on SQLite and on PostgreSQL (a digest's schedule is not AIHC's)."""
    async with watching(tmp_path, database_url, "v1", monkeypatch) as running:
        yield running


def digests(stack: Stack, channel: str = CHANNEL) -> list[Message]:
    """Return the digests posted in a channel, oldest first."""
    return [m for m in stack.slack.messages(channel) if key_of(m).startswith("digest:")]


def chart(digest: Digest, *, lang: str, tz: tzinfo) -> ChartFile:
    """Draw a stand-in chart: a few PNG bytes, a title naming the zone its days are in."""
    return ChartFile(
        filename="digest.png",
        title=f"GPU-hours ({digest.period.value}, days in {tz})",
        png=PNG,
        alt_text="GPU-hours per day per queue",
        comment="GPU-hours",
    )


async def advance(stack: Stack, seconds: float) -> None:
    """Move the simulator's (and so the bot's) time forward."""
    await stack.sim_control("POST", "/_sim/clock/advance", seconds=seconds)


async def past_next(stack: Stack, schedule: Schedule, *, by: timedelta) -> datetime:
    """Move time to `by` past the schedule's next due moment; return that moment."""
    due = schedule.next_due(stack.runtime.clock())
    await advance(stack, (due - stack.runtime.clock() + by).total_seconds())
    return due


async def idle_ticks(stack: Stack, count: int = 3) -> None:
    """Run the watcher's ticks a few times, whatever they find."""
    for _ in range(count):
        await watcher_of(stack).run_once()


async def test_a_daily_digest_goes_out_once_after_its_local_time_with_its_chart(
    stack: Stack,
) -> None:
    sender = watcher_of(stack).deliverer.sender
    assert isinstance(sender, SlackChatSender)
    sender.chart = chart
    answer = seen(await stack.ask("digest daily at 09:00 --tz Asia/Shanghai"))
    assert "daily digest at 09:00 (Asia/Shanghai)" in answer
    await idle_ticks(stack)
    assert digests(stack) == []

    due = await past_next(stack, SHANGHAI, by=timedelta(minutes=1))
    [digest] = await settle(stack, lambda: digests(stack), what="the digest")
    assert "Daily digest" in text_of(digest)
    await idle_ticks(stack)
    assert len(digests(stack)) == 1
    [file] = await stack.slack.wait_for(lambda: stack.slack.files(), what="the chart")
    assert (file.channel, file.thread_ts) == (CHANNEL, digest.ts)
    assert file.alt_text == "GPU-hours per day per queue"
    assert file.title == "GPU-hours (daily, days in Asia/Shanghai)"

    listed = seen(await stack.ask("subscriptions"))
    following = (due + timedelta(days=1)).astimezone(SHANGHAI.tz).strftime("%Y-%m-%d 09:00")
    assert f"daily at 09:00 (Asia/Shanghai) · next {following}" in listed
    assert "follows nothing" not in listed


async def test_a_digest_missed_while_down_goes_out_once_the_same_day_and_never_twice(
    stack: Stack,
) -> None:
    await stack.ask("digest daily at 09:00 --tz Asia/Shanghai")
    # No tick runs while the time passes: the bot is down from before 09:00 until 12:00.
    due = await past_next(stack, SHANGHAI, by=timedelta(hours=3))
    await settle(stack, lambda: digests(stack), what="the late digest")
    await idle_ticks(stack)
    assert len(digests(stack)) == 1

    # Down again for two days: the next day's digest is skipped, the one of the day it comes
    # back goes out, each once.
    await advance(stack, timedelta(days=2).total_seconds())
    await settle(stack, lambda: len(digests(stack)) == 2, what="today's digest")
    await idle_ticks(stack)
    keys = [key_of(m) for m in digests(stack)]
    ends = [due, due + timedelta(days=2)]
    assert keys == [f"digest:{CHANNEL}:{end.isoformat()}" for end in ends]


async def test_digest_now_posts_at_once_and_off_stops_the_schedule(stack: Stack) -> None:
    assert "on its way" in seen(await stack.ask("digest now weekly"))
    [digest] = await settle(stack, lambda: digests(stack), what="the digest asked for")
    assert "Weekly digest" in text_of(digest)

    await stack.ask("digest weekly at 08:30 --tz America/New_York")
    assert "weekly (Mondays) at 08:30" in seen(await stack.ask("subscriptions"))
    assert "no longer gets a digest" in seen(await stack.ask("digest off"))
    assert "Digest" not in seen(await stack.ask("subscriptions"))
    assert "gets no digest" in seen(await stack.ask("digest off"))
    await advance(stack, timedelta(days=8).total_seconds())
    await idle_ticks(stack)
    assert len(digests(stack)) == 1


async def test_a_refused_chart_upload_is_logged_and_the_digest_stands_alone(
    stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    sender = watcher_of(stack).deliverer.sender
    assert isinstance(sender, SlackChatSender)
    sender.chart = chart
    stack.slack.fail("files.completeUploadExternal", "not_allowed_token_type")
    await stack.ask("digest now")
    [digest] = await settle(stack, lambda: digests(stack), what="the digest")
    await idle_ticks(stack)
    assert len(digests(stack)) == 1
    assert stack.slack.files() == []
    assert stack.slack.thread(CHANNEL, digest.ts) == []
    assert "digest chart upload failed" in caplog.text


async def test_the_zone_defaults_to_the_askers_slack_time_zone(stack: Stack) -> None:
    # Alice's Slack profile puts her in Los Angeles.
    assert "(America/Los_Angeles)" in seen(await stack.ask("digest daily"))


async def test_strangers_are_refused_and_audited_and_bad_times_told_in_one_line(
    stack: Stack,
) -> None:
    refused = seen(await stack.ask("digest daily at 09:00", user=STRANGER))
    assert "operator" in refused
    assert "operator" in seen(await stack.ask("digest now", user=STRANGER))
    trail = await audit(stack)
    assert len(entries(trail, "digest.daily", AuditResult.REFUSED)) == 1
    assert len(entries(trail, "digest.now", AuditResult.REFUSED)) == 1
    assert "not a time zone" in seen(await stack.ask("digest daily --tz Mars/Olympus"))
    assert "not a time of day" in seen(await stack.ask("digest weekly at 25:00"))
    assert "Digest" not in seen(await stack.ask("subscriptions"))


async def test_two_replicas_queue_each_digest_exactly_once(
    tmp_path: Path, pg_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    channels = [f"C01{i:02d}" for i in range(6)]
    # One schedule per claim, so that both replicas find work in every round.
    monkeypatch.setenv("WATCH_BATCH", "1")
    async with watching(tmp_path, pg_database_url, "v1", monkeypatch) as stack:
        first = watcher_of(stack)
        second = _replica(stack, pg_database_url, "replica-b")
        for channel in channels:
            stack.slack.add_channel(channel, channel.lower())
            await stack.ask("digest daily at 09:00 --tz Asia/Shanghai", channel=channel)
        await past_next(stack, SHANGHAI, by=timedelta(minutes=1))
        queued = [0, 0]
        try:
            for _ in range(3):
                counts = await asyncio.gather(first.digests(), second.digests())
                queued = [a + b for a, b in zip(queued, counts, strict=True)]
            await settle(
                stack,
                lambda: all(digests(stack, c) for c in channels),
                what="a digest in every channel",
            )
            await asyncio.gather(first.run_once(), second.run_once())
        finally:
            await second.store.dispose()
        assert [len(digests(stack, c)) for c in channels] == [1] * len(channels)
        assert min(queued) > 0, f"one replica did all the work: {queued}"


def _replica(stack: Stack, url: str, name: str) -> Watcher:
    """Build a second watcher on its own engine, as another process would run it."""
    first = watcher_of(stack)
    config = WatchConfig(
        poll_interval=first.config.poll_interval,
        settings=WatchSettings(replica_id=name, lease_seconds=5, slack_timeout=1, batch=1),
    )
    return Watcher(
        store=Store.from_url(url),
        aihc=stack.runtime.aihc,
        sender=first.deliverer.sender,
        config=config,
        clock=stack.runtime.clock,
    )
