"""The repository of subscriptions: which channels follow which jobs, queues and pools."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.enums import TargetKind
from bot.store.tables import SubscriptionRow
from bot.store.upsert import upsert

_TARGET = ["workspace_id", "channel_id", "target_kind", "pool_id", "target_ref"]
_OPTIONS = [
    "notify_status",
    "notify_events",
    "notify_logs",
    "notify_progress",
    "notify_hang",
    "notify_idle",
    "notify_pending",
    "state_filter",
    "mention",
]


class SubscriptionRepository:
    """Add, remove, find, mute and pause subscriptions."""

    def __init__(self, session: AsyncSession) -> None:
        """Work inside `session`; the caller commits."""
        self.session = session

    async def subscribe(
        self,
        *,
        workspace_id: str,
        channel_id: str,
        target_kind: TargetKind,
        pool_id: str,
        target_ref: str,
        created_by: str,
        now: datetime,
        notify_status: bool = True,
        notify_events: bool = True,
        notify_logs: bool = False,
        notify_progress: bool = True,
        notify_hang: bool = True,
        notify_idle: bool = True,
        notify_pending: bool = True,
        state_filter: Sequence[str] = (),
        mention: str | None = None,
    ) -> SubscriptionRow:
        """Subscribe the channel to a target, or change the options of its existing subscription."""
        row: dict[str, Any] = {
            "workspace_id": workspace_id,
            "channel_id": channel_id,
            "target_kind": target_kind,
            "pool_id": pool_id,
            "target_ref": target_ref,
            "notify_status": notify_status,
            "notify_events": notify_events,
            "notify_logs": notify_logs,
            "notify_progress": notify_progress,
            "notify_hang": notify_hang,
            "notify_idle": notify_idle,
            "notify_pending": notify_pending,
            "state_filter": list(state_filter),
            "mention": mention,
            "created_by": created_by,
            "created_at": now,
        }
        await upsert(self.session, SubscriptionRow, row, conflict=_TARGET, update=_OPTIONS)
        found = await self.find(
            workspace_id=workspace_id,
            channel_id=channel_id,
            target_kind=target_kind,
            pool_id=pool_id,
            target_ref=target_ref,
        )
        if found is None:  # pragma: no cover - the upsert above guarantees the row
            raise LookupError("subscription vanished after upsert")
        return found

    async def find(
        self,
        *,
        workspace_id: str,
        channel_id: str,
        target_kind: TargetKind,
        pool_id: str,
        target_ref: str,
    ) -> SubscriptionRow | None:
        """Return the channel's subscription to a target, if any."""
        stmt = select(SubscriptionRow).where(
            SubscriptionRow.workspace_id == workspace_id,
            SubscriptionRow.channel_id == channel_id,
            SubscriptionRow.target_kind == target_kind,
            SubscriptionRow.pool_id == pool_id,
            SubscriptionRow.target_ref == target_ref,
        )
        stmt = stmt.execution_options(populate_existing=True)
        return (await self.session.scalars(stmt)).one_or_none()

    async def unsubscribe(self, *, subscription_id: int) -> bool:
        """Remove a subscription; return False if it was already gone."""
        stmt = delete(SubscriptionRow).where(SubscriptionRow.id == subscription_id)
        result = await self.session.execute(stmt)
        return bool(getattr(result, "rowcount", 0))

    async def in_channel(self, *, workspace_id: str, channel_id: str) -> list[SubscriptionRow]:
        """Return the channel's subscriptions, oldest first."""
        stmt = (
            select(SubscriptionRow)
            .where(
                SubscriptionRow.workspace_id == workspace_id,
                SubscriptionRow.channel_id == channel_id,
            )
            .order_by(SubscriptionRow.created_at, SubscriptionRow.id)
        )
        return list((await self.session.scalars(stmt)).all())

    async def covering_job(
        self, *, pool_id: str, job_id: str, queue_name: str
    ) -> list[SubscriptionRow]:
        """Return every subscription that follows a job: to it, to its queue or to its pool."""
        stmt = (
            select(SubscriptionRow)
            .where(
                SubscriptionRow.pool_id == pool_id,
                or_(
                    and_(
                        SubscriptionRow.target_kind == TargetKind.JOB,
                        SubscriptionRow.target_ref == job_id,
                    ),
                    and_(
                        SubscriptionRow.target_kind == TargetKind.QUEUE,
                        SubscriptionRow.target_ref == queue_name,
                    ),
                    SubscriptionRow.target_kind == TargetKind.POOL,
                ),
            )
            .order_by(SubscriptionRow.id)
        )
        return list((await self.session.scalars(stmt)).all())

    async def following_in_pool(self, *, pool_id: str) -> list[SubscriptionRow]:
        """Return the pool's queue and pool subscriptions that are not paused."""
        stmt = (
            select(SubscriptionRow)
            .where(
                SubscriptionRow.pool_id == pool_id,
                SubscriptionRow.target_kind.in_([TargetKind.QUEUE, TargetKind.POOL]),
                SubscriptionRow.paused_reason.is_(None),
            )
            .order_by(SubscriptionRow.id)
        )
        return list((await self.session.scalars(stmt)).all())

    async def following_pools(self) -> list[str]:
        """Return the pools that any subscription touches, so each gets a sweep."""
        stmt = select(SubscriptionRow.pool_id).distinct().order_by(SubscriptionRow.pool_id)
        return list((await self.session.scalars(stmt)).all())

    async def mute(self, *, subscription_id: int, until: datetime | None) -> bool:
        """Mute a subscription until `until` (None unmutes); return False if it is gone."""
        stmt = (
            update(SubscriptionRow)
            .where(SubscriptionRow.id == subscription_id)
            .values(muted_until=until)
        )
        result = await self.session.execute(stmt)
        return bool(getattr(result, "rowcount", 0))

    async def channel_paused(self, *, workspace_id: str, channel_id: str) -> bool:
        """Say whether the channel has subscriptions and every one of them is paused."""
        stmt = select(SubscriptionRow.paused_reason).where(
            SubscriptionRow.workspace_id == workspace_id, SubscriptionRow.channel_id == channel_id
        )
        reasons = list((await self.session.scalars(stmt)).all())
        return bool(reasons) and all(reason is not None for reason in reasons)

    async def pause_channel(self, *, workspace_id: str, channel_id: str, reason: str | None) -> int:
        """Pause every subscription of a channel with `reason` (None resumes); count them."""
        stmt = (
            update(SubscriptionRow)
            .where(
                SubscriptionRow.workspace_id == workspace_id,
                SubscriptionRow.channel_id == channel_id,
            )
            .values(paused_reason=reason)
        )
        result = await self.session.execute(stmt)
        return int(getattr(result, "rowcount", 0))
