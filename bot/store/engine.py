"""Build the async engine and the sync URL that migrations use, for SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.store.errors import UnsupportedDatabaseError

ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+psycopg"}
# psycopg 3 serves both sync and async engines; SQLite migrates through the stdlib driver.
SYNC_DRIVERS = {"sqlite": "sqlite+pysqlite", "postgresql": "postgresql+psycopg"}


def backend_of(url: str | URL) -> str:
    """Return `sqlite` or `postgresql` for a URL, or raise for any other database."""
    backend = make_url(url).get_backend_name()
    if backend not in ASYNC_DRIVERS:
        raise UnsupportedDatabaseError(
            f"unsupported database {backend!r}; use SQLite or PostgreSQL"
        )
    return backend


def async_url(url: str | URL) -> URL:
    """Return the URL with the async driver the bot runs on (aiosqlite or psycopg)."""
    return make_url(url).set(drivername=ASYNC_DRIVERS[backend_of(url)])


def sync_url(url: str | URL) -> URL:
    """Return the URL with the sync driver that Alembic migrates with."""
    return make_url(url).set(drivername=SYNC_DRIVERS[backend_of(url)])


def create_engine(url: str | URL, **kwargs: Any) -> AsyncEngine:
    """Create the async engine for a SQLite or PostgreSQL URL, with SQLite made safe to share."""
    target = async_url(url)
    if target.get_backend_name() == "postgresql":
        return create_async_engine(target, pool_pre_ping=True, **kwargs)
    engine = create_async_engine(target, **kwargs)
    _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: AsyncEngine) -> None:
    """Enable WAL, foreign keys and a busy timeout, and begin every transaction IMMEDIATE."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own BEGIN handling defers until the first write and skips SELECTs; taking
        # control lets us emit BEGIN IMMEDIATE below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A deferred transaction that reads and then writes fails with SQLITE_BUSY (no waiting)
        # when another connection wrote meanwhile; taking the write lock up front makes writers
        # queue on busy_timeout instead. SQLite runs one replica, so this costs little.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
