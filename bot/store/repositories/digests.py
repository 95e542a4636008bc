"""The repository of digest schedules: set one per channel, lease the due ones to one replica."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.digest import DigestPeriod
from bot.store import leases
from bot.store.leases import Lease
from bot.store.tables import DigestScheduleRow
from bot.store.upsert import dialect_insert

_CHANGED = ("period", "local_time", "zone", "next_due_at", "created_by", "updated_at")


class DigestScheduleRepository:
    """Keep each channel's digest schedule and hand the due ones out under leases."""

    def __init__(self, session: AsyncSession) -> None:
        """Work inside `session`; the caller commits."""
        self.session = session

    async def put(
        self,
        *,
        workspace_id: str,
        channel_id: str,
        period: DigestPeriod,
        local_time: str,
        zone: str,
        next_due_at: datetime,
        created_by: str,
        now: datetime,
    ) -> None:
        """Schedule the channel's digest, replacing its schedule if it had one.

        A replacement bumps the fencing version, so a replica working on the old schedule
        cannot write its due time back over the new one.
        """
        row = {
            "workspace_id": workspace_id,
            "channel_id": channel_id,
            "period": period,
            "local_time": local_time,
            "zone": zone,
            "next_due_at": next_due_at,
            "created_by": created_by,
            "updated_at": now,
        }
        stmt = dialect_insert(self.session, DigestScheduleRow).values(row)
        changes = {name: stmt.excluded[name] for name in _CHANGED}
        changes["lease_version"] = DigestScheduleRow.lease_version + 1
        stmt = stmt.on_conflict_do_update(
            index_elements=["workspace_id", "channel_id"], set_=changes
        )
        await self.session.execute(stmt)

    async def get(self, *, workspace_id: str, channel_id: str) -> DigestScheduleRow | None:
        """Return the channel's schedule, as the database has it now."""
        stmt = (
            select(DigestScheduleRow)
            .where(
                DigestScheduleRow.workspace_id == workspace_id,
                DigestScheduleRow.channel_id == channel_id,
            )
            .execution_options(populate_existing=True)
        )
        return (await self.session.scalars(stmt)).one_or_none()

    async def remove(self, *, workspace_id: str, channel_id: str) -> bool:
        """Stop the channel's digest; False if it had none."""
        stmt = delete(DigestScheduleRow).where(
            DigestScheduleRow.workspace_id == workspace_id,
            DigestScheduleRow.channel_id == channel_id,
        )
        result = await self.session.execute(stmt)
        return bool(getattr(result, "rowcount", 0))

    async def claim_due(
        self, *, owner: str, now: datetime, ttl: timedelta, limit: int
    ) -> list[DigestScheduleRow]:
        """Lease up to `limit` schedules due by `now`, the most overdue first."""
        return await leases.claim_due(
            self.session,
            DigestScheduleRow,
            due=DigestScheduleRow.next_due_at <= now,
            order_by=[DigestScheduleRow.next_due_at, DigestScheduleRow.id],
            owner=owner,
            now=now,
            ttl=ttl,
            limit=limit,
        )

    async def advance(
        self, row_id: int, lease: Lease, *, next_due_at: datetime, last_end_at: datetime | None
    ) -> None:
        """Record when the schedule is due next (and the period just queued), giving it up."""
        values: dict[str, object] = {"next_due_at": next_due_at}
        if last_end_at is not None:
            values["last_end_at"] = last_end_at
        await leases.release(self.session, DigestScheduleRow, row_id, lease, values)

    async def hand_back(self, row_id: int, lease: Lease) -> None:
        """Give a schedule up untouched (its digest failed): it is due again next tick."""
        await leases.release(self.session, DigestScheduleRow, row_id, lease)
