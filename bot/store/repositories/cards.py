"""Repositories of status cards (one per job and channel) and of repeating event series."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.tables import EventSeriesRow, StatusCardRow
from bot.store.upsert import dialect_insert, insert_or_ignore


class StatusCardRepository:
    """Find or create a job's card in a channel and remember its Slack `ts`."""

    def __init__(self, session: AsyncSession) -> None:
        """Work inside `session`; the caller commits."""
        self.session = session

    async def get_or_create(
        self, *, workspace_id: str, channel_id: str, pool_id: str, job_id: str, now: datetime
    ) -> StatusCardRow:
        """Return the job's card in the channel, creating it (not yet posted) if there is none."""
        row = {
            "workspace_id": workspace_id,
            "channel_id": channel_id,
            "pool_id": pool_id,
            "job_id": job_id,
            "created_at": now,
            "updated_at": now,
        }
        conflict = ["channel_id", "pool_id", "job_id"]
        await insert_or_ignore(self.session, StatusCardRow, row, conflict=conflict)
        stmt = (
            select(StatusCardRow)
            .where(
                StatusCardRow.channel_id == channel_id,
                StatusCardRow.pool_id == pool_id,
                StatusCardRow.job_id == job_id,
            )
            .execution_options(populate_existing=True)
        )
        return (await self.session.scalars(stmt)).one()

    async def get(self, card_id: int) -> StatusCardRow | None:
        """Return a card as the database has it now."""
        stmt = (
            select(StatusCardRow)
            .where(StatusCardRow.id == card_id)
            .execution_options(populate_existing=True)
        )
        return (await self.session.scalars(stmt)).one_or_none()

    async def next_version(self, card_id: int) -> int:
        """Take the card's next edit version (1, 2, …) and return it."""
        stmt = (
            update(StatusCardRow)
            .where(StatusCardRow.id == card_id)
            .values(version=StatusCardRow.version + 1)
            .returning(StatusCardRow.version)
        )
        return int((await self.session.execute(stmt)).scalar_one())

    async def mark_shown(self, *, card_id: int, version: int, now: datetime) -> None:
        """Record that Slack shows `version` of the card, unless it shows a newer one already."""
        stmt = (
            update(StatusCardRow)
            .where(StatusCardRow.id == card_id, StatusCardRow.shown_version < version)
            .values(shown_version=version, updated_at=now)
        )
        await self.session.execute(stmt.execution_options(synchronize_session=False))

    async def of_job(self, *, pool_id: str, job_id: str) -> list[StatusCardRow]:
        """Return the job's cards in every channel."""
        stmt = (
            select(StatusCardRow)
            .where(StatusCardRow.pool_id == pool_id, StatusCardRow.job_id == job_id)
            .order_by(StatusCardRow.id)
        )
        return list((await self.session.scalars(stmt)).all())

    async def mark_posted(
        self, *, card_id: int, slack_ts: str | None, content_hash: str | None, now: datetime
    ) -> None:
        """Remember the card's Slack `ts` and the hash of what it now shows."""
        values: dict[str, object] = {"content_hash": content_hash, "updated_at": now}
        if slack_ts is not None:
            values["slack_ts"] = slack_ts
        stmt = update(StatusCardRow).where(StatusCardRow.id == card_id).values(values)
        await self.session.execute(stmt.execution_options(synchronize_session=False))


class EventSeriesRepository:
    """Fold repeats of the same event into one series with a count."""

    def __init__(self, session: AsyncSession) -> None:
        """Work inside `session`; the caller commits."""
        self.session = session

    async def record(
        self,
        *,
        pool_id: str,
        job_id: str,
        series_key: str,
        values: Mapping[str, Any],
        told: int | None = None,
        now: datetime,
    ) -> None:
        """Store a series as last seen (its count never goes down); `told` marks it notified.

        `values` hold `reason`, `event_type`, `message`, `first_seen_at`, `last_seen_at` and the
        event's own repeat count, `occurrences`.
        """
        stmt = dialect_insert(self.session, EventSeriesRow).values(
            pool_id=pool_id, job_id=job_id, series_key=series_key, **values
        )
        greatest = func.max if self.session.get_bind().dialect.name == "sqlite" else func.greatest
        updates: dict[str, Any] = {
            "occurrences": greatest(EventSeriesRow.occurrences, stmt.excluded.occurrences),
            "last_seen_at": stmt.excluded.last_seen_at,
        }
        if told is not None:
            updates.update(notified_occurrences=told, last_notified_at=now)
            stmt = stmt.values(notified_occurrences=told, last_notified_at=now)
        stmt = stmt.on_conflict_do_update(
            index_elements=["pool_id", "job_id", "series_key"], set_=updates
        )
        await self.session.execute(stmt)

    async def of_job(
        self, *, pool_id: str, job_id: str, keys: Sequence[str] | None = None
    ) -> list[EventSeriesRow]:
        """Return a job's stored series (only those with `keys`, when given)."""
        stmt = select(EventSeriesRow).where(
            EventSeriesRow.pool_id == pool_id, EventSeriesRow.job_id == job_id
        )
        if keys is not None:
            stmt = stmt.where(EventSeriesRow.series_key.in_(list(keys)))
        stmt = stmt.order_by(EventSeriesRow.id).execution_options(populate_existing=True)
        return list((await self.session.scalars(stmt)).all())

    async def mark_notified(self, *, series_id: int, occurrences: int, now: datetime) -> None:
        """Remember how many occurrences the channel has been told about."""
        stmt = (
            update(EventSeriesRow)
            .where(EventSeriesRow.id == series_id)
            .values(notified_occurrences=occurrences, last_notified_at=now)
        )
        await self.session.execute(stmt.execution_options(synchronize_session=False))
