"""The repository of replica heartbeats: which bot processes are alive."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.tables import ReplicaHeartbeatRow
from bot.store.upsert import upsert


class ReplicaHeartbeatRepository:
    """Record that a replica is alive and list those seen recently."""

    def __init__(self, session: AsyncSession) -> None:
        """Work inside `session`; the caller commits."""
        self.session = session

    async def beat(
        self, *, replica_id: str, now: datetime, hostname: str = "", pid: int = 0, version: str = ""
    ) -> None:
        """Record that the replica is alive now; the first beat also records its start."""
        row = {
            "replica_id": replica_id,
            "hostname": hostname,
            "pid": pid,
            "version": version,
            "started_at": now,
            "last_seen_at": now,
        }
        update = ["hostname", "pid", "version", "last_seen_at"]
        await upsert(self.session, ReplicaHeartbeatRow, row, conflict=["replica_id"], update=update)

    async def alive_since(self, *, since: datetime) -> list[ReplicaHeartbeatRow]:
        """Return the replicas seen at or after `since`, by id."""
        stmt = (
            select(ReplicaHeartbeatRow)
            .where(ReplicaHeartbeatRow.last_seen_at >= since)
            .order_by(ReplicaHeartbeatRow.replica_id)
            .execution_options(populate_existing=True)
        )
        return list((await self.session.scalars(stmt)).all())

    async def forget_before(self, *, before: datetime) -> int:
        """Delete replicas not seen since `before`; return how many."""
        stmt = delete(ReplicaHeartbeatRow).where(ReplicaHeartbeatRow.last_seen_at < before)
        result = await self.session.execute(stmt)
        return int(getattr(result, "rowcount", 0))
