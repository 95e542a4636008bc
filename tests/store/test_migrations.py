"""Migrations: up, down and up again on both databases, no drift from the models, one migrator."""

from __future__ import annotations

import asyncio
import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psycopg
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, create_engine, inspect, pool, text

from bot.store import Store
from bot.store.base import Base
from bot.store.engine import sync_url
from bot.store.migrate import (
    MIGRATION_LOCK_ID,
    MIGRATIONS_DIR,
    current_revision,
    downgrade,
    head_revision,
    upgrade,
)
from tests.store.postgres import PostgresCluster

STORE_TABLES = {
    "audit_entries",
    "channel_settings",
    "digest_schedules",
    "event_series",
    "outbox",
    "pool_sweeps",
    "replica_heartbeats",
    "role_bindings",
    "status_cards",
    "subscriptions",
    "user_links",
    "watched_jobs",
}


def table_names(url: str) -> set[str]:
    """Return the tables the database holds now."""
    engine = create_engine(sync_url(url), poolclass=pool.NullPool)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade_round_trips(empty_database_url: str) -> None:
    head = head_revision()
    assert head is not None

    assert upgrade(empty_database_url) == head
    assert table_names(empty_database_url) == STORE_TABLES
    assert downgrade(empty_database_url) is None
    assert table_names(empty_database_url) == set()
    assert upgrade(empty_database_url) == head
    assert table_names(empty_database_url) == STORE_TABLES


def test_models_and_migrations_do_not_drift(database_url: str) -> None:
    engine = create_engine(sync_url(database_url), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_replicas_starting_together_migrate_once(pg_cluster: PostgresCluster) -> None:
    url = pg_cluster.create_database("race")
    conninfo = pg_cluster.conninfo("race")
    env = {**os.environ, "DATABASE_URL": url}
    with psycopg.connect(conninfo, autocommit=True) as holder:
        # Hold the migration lock so that every replica is provably queued on it at once.
        holder.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK_ID])
        replicas = [
            subprocess.Popen(
                [sys.executable, "-m", "bot", "migrate"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(4)
        ]
        wait_for_waiters(holder, 4)
        holder.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK_ID])
        outcomes = [replica.communicate(timeout=120) for replica in replicas]

    assert [replica.returncode for replica in replicas] == [0] * 4, outcomes
    assert all(f"is at revision {head_revision()}" in out for out, _ in outcomes)
    versions = holder_versions(conninfo)
    assert versions == [head_revision()]


def wait_for_waiters(connection: psycopg.Connection[tuple[object, ...]], count: int) -> None:
    """Wait until `count` sessions are blocked on an advisory lock."""
    query = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        row = connection.execute(query).fetchone()
        if row is not None and row[0] == count:
            return
        time.sleep(0.05)
    raise AssertionError(f"{count} replicas never queued on the migration lock")


def holder_versions(conninfo: str) -> list[object]:
    """Return every row of alembic_version."""
    with psycopg.connect(conninfo) as connection:
        return [row[0] for row in connection.execute("SELECT version_num FROM alembic_version")]


def test_an_unmigrated_database_has_no_revision(empty_database_url: str) -> None:
    assert current_revision(empty_database_url) is None


def test_revision_files_carry_the_date_they_were_written() -> None:
    names = sorted(path.name for path in (MIGRATIONS_DIR / "versions").glob("*.py"))

    assert names, "no revision files found"
    for name in names:
        assert re.fullmatch(r"\d{4}_\d{2}_\d{2}_\d{4}-[0-9a-f]+_\w+\.py", name), name


def test_the_drift_check_notices_a_column_the_migrations_lack(database_url: str) -> None:
    extended = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.tables.values():
        table.to_metadata(extended)
    extended.tables["outbox"].append_column(Column("priority", Integer, nullable=True))
    engine = create_engine(sync_url(database_url), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            diffs = compare_metadata(MigrationContext.configure(connection), extended)
    finally:
        engine.dispose()

    assert [(diff[0], diff[2], diff[3].name) for diff in diffs] == [
        ("add_column", "outbox", "priority")
    ]


async def test_a_migrated_sqlite_file_opens_while_another_connection_writes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bot.db"
    upgrade(f"sqlite:///{path}")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # someone holds the write lock for a moment
    store = Store.from_url(f"sqlite+aiosqlite:///{path}")
    try:
        loop = asyncio.get_running_loop()
        loop.call_later(0.3, writer.execute, "COMMIT")
        async with store.transaction() as uow:
            assert await uow.session.scalar(text("PRAGMA journal_mode")) == "wal"
    finally:
        await store.dispose()
        writer.close()
