"""Two `aihc-bot serve` replicas on one PostgreSQL post each due digest exactly once.

PostgreSQL only: several replicas share a PostgreSQL, SQLite runs one replica (DESIGN §6).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.domain.digest import DigestPeriod
from bot.simulator import Running
from bot.store import OutboxState, Store
from bot.workspace import TEAM_ID, FakeSlack
from tests.serving import BotProcess
from tests.watch.crash_kit import bot_env, log_tail
from tests.watch.helpers import key_of

CHANNELS = [f"C02{i:02d}" for i in range(6)]
ZONES = ("Asia/Shanghai", "America/New_York", "Europe/London")


def daytime_zone(now: datetime) -> str:
    """Return a zone where it is day now, so a digest due minutes ago is still today's."""
    return next(z for z in ZONES if 3 <= now.astimezone(ZoneInfo(z)).hour <= 20)


async def schedule_due(database_url: str, now: datetime) -> datetime:
    """Give every channel a daily digest that fell due two minutes ago; return that moment."""
    zone = daytime_zone(now)
    due = (now - timedelta(minutes=2)).replace(second=0, microsecond=0)
    store = Store.from_url(database_url)
    try:
        async with store.transaction() as uow:
            for channel in CHANNELS:
                await uow.digest_schedules.put(
                    workspace_id=TEAM_ID,
                    channel_id=channel,
                    period=DigestPeriod.DAILY,
                    local_time=due.astimezone(ZoneInfo(zone)).strftime("%H:%M"),
                    zone=zone,
                    next_due_at=due,
                    created_by="U0001",
                    now=now,
                )
    finally:
        await store.dispose()
    return due


async def delivered(database_url: str) -> int:
    """Count the digests the outbox holds as sent."""
    store = Store.from_url(database_url)
    try:
        async with store.transaction() as uow:
            return await uow.outbox.count(state=OutboxState.SENT)
    finally:
        await store.dispose()


async def test_two_serving_replicas_post_each_due_digest_once(
    sim: Running, slack: FakeSlack, pg_database_url: str, tmp_path: Path
) -> None:
    for channel in CHANNELS:
        slack.add_channel(channel, channel.lower())
    due = await schedule_due(pg_database_url, datetime.now(UTC))
    env = bot_env(sim, slack, pg_database_url, "v1")
    bots = [BotProcess(env, tmp_path / f"replica{i}.log") for i in range(2)]
    try:
        for bot in bots:
            await bot.start()
        for bot in bots:
            await bot.serving()
        await slack.wait_for(
            lambda: all(slack.messages(c) for c in CHANNELS),
            timeout=60,
            what="a digest in every channel",
        )
    finally:
        for bot in bots:
            await bot.stop()
    logs = "\n".join(log_tail(bot.log) for bot in bots)
    assert "Traceback" not in logs, logs
    keys = [[key_of(m) for m in slack.messages(c)] for c in CHANNELS]
    assert keys == [[f"digest:{c}:{due.isoformat()}"] for c in CHANNELS]
    assert await delivered(pg_database_url) == len(CHANNELS)
