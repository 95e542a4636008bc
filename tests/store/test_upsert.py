"""INSERT … ON CONFLICT helpers behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.store import Store
from bot.store.tables import ReplicaHeartbeatRow
from bot.store.upsert import insert_or_ignore, upsert

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def beat(replica: str, *, at: datetime, host: str) -> dict[str, object]:
    """Return a heartbeat row."""
    return {"replica_id": replica, "hostname": host, "started_at": at, "last_seen_at": at}


async def test_insert_or_ignore_counts_only_new_rows(store: Store) -> None:
    async with store.transaction() as uow:
        first = await insert_or_ignore(
            uow.session, ReplicaHeartbeatRow, beat("a", at=NOW, host="h1"), conflict=["replica_id"]
        )
        batch = [beat("a", at=NOW, host="changed"), beat("b", at=NOW, host="h2")]
        second = await insert_or_ignore(
            uow.session, ReplicaHeartbeatRow, batch, conflict=["replica_id"]
        )
        nothing = await insert_or_ignore(
            uow.session, ReplicaHeartbeatRow, [], conflict=["replica_id"]
        )
        hosts = await uow.session.scalars(
            select(ReplicaHeartbeatRow.hostname).order_by(ReplicaHeartbeatRow.replica_id)
        )

        assert (first, second, nothing) == (1, 1, 0)
        assert hosts.all() == ["h1", "h2"]


async def test_upsert_overwrites_only_the_named_columns(store: Store) -> None:
    later = NOW + timedelta(minutes=1)
    async with store.transaction() as uow:
        await upsert(
            uow.session,
            ReplicaHeartbeatRow,
            beat("a", at=NOW, host="h1"),
            conflict=["replica_id"],
            update=["last_seen_at"],
        )
        touched = await upsert(
            uow.session,
            ReplicaHeartbeatRow,
            [beat("a", at=later, host="h9"), beat("b", at=later, host="h2")],
            conflict=["replica_id"],
            update=["last_seen_at"],
        )

    async with store.transaction() as uow:
        rows = (
            await uow.session.scalars(
                select(ReplicaHeartbeatRow).order_by(ReplicaHeartbeatRow.replica_id)
            )
        ).all()

    assert touched == 2
    assert [(r.replica_id, r.hostname, r.started_at, r.last_seen_at) for r in rows] == [
        ("a", "h1", NOW, later),
        ("b", "h2", later, later),
    ]
