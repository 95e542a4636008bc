"""The engine: the right driver for each database, and SQLite transactions that queue, not fail."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.store import Store, UnsupportedDatabaseError
from bot.store.engine import async_url, sync_url
from bot.store.migrate import upgrade
from bot.store.tables import ReplicaHeartbeatRow

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("url", "runs_on", "migrates_with"),
    [
        ("sqlite:///x.db", "sqlite+aiosqlite", "sqlite+pysqlite"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite", "sqlite+pysqlite"),
        ("postgresql://u@h/db", "postgresql+psycopg", "postgresql+psycopg"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg", "postgresql+psycopg"),
    ],
)
def test_each_database_gets_an_async_and_a_sync_driver(
    url: str, runs_on: str, migrates_with: str
) -> None:
    assert async_url(url).drivername == runs_on
    assert sync_url(url).drivername == migrates_with


def test_other_databases_are_refused() -> None:
    with pytest.raises(UnsupportedDatabaseError, match="'mysql'"):
        async_url("mysql://u@h/db")


async def test_sqlite_writers_that_read_first_queue_instead_of_failing(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    upgrade(url)
    stores = [Store.from_url(url) for _ in range(4)]

    async def read_then_write(store: Store, number: int) -> None:
        async with store.transaction() as uow:
            count = await uow.session.scalar(select(func.count()).select_from(ReplicaHeartbeatRow))
            await asyncio.sleep(0.02)  # let the others read the same snapshot
            await uow.replicas.beat(replica_id=f"r{number}-{count}", now=NOW)

    try:
        await asyncio.gather(*(read_then_write(store, n) for n, store in enumerate(stores)))
        async with stores[0].transaction() as uow:
            seen = sorted(
                r.replica_id.split("-")[1] for r in await uow.replicas.alive_since(since=NOW)
            )
    finally:
        for store in stores:
            await store.dispose()

    assert seen == ["0", "1", "2", "3"]  # each one read the others' committed writes
