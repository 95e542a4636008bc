"""The outbox repository: enqueue with a dedup key, lease due messages, record how sending went."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store import leases
from bot.store.enums import OutboxState
from bot.store.leases import Lease
from bot.store.tables import OutboxRow
from bot.store.upsert import insert_or_ignore


class OutboxRepository:
    """Queue chat messages in the transaction that caused them and hand them to one sender."""

    def __init__(self, session: AsyncSession) -> None:
        """Work inside `session`; the caller commits."""
        self.session = session

    async def enqueue(
        self,
        *,
        dedup_key: str,
        workspace_id: str,
        channel_id: str,
        kind: str,
        payload: Mapping[str, Any],
        now: datetime,
        thread_ts: str | None = None,
        status_card_id: int | None = None,
    ) -> bool:
        """Queue a message, due now; return False if one with this dedup key was already queued."""
        row = {
            "dedup_key": dedup_key,
            "workspace_id": workspace_id,
            "channel_id": channel_id,
            "kind": kind,
            "payload": dict(payload),
            "thread_ts": thread_ts,
            "status_card_id": status_card_id,
            "state": OutboxState.PENDING,
            "next_attempt_at": now,
            "created_at": now,
        }
        return await insert_or_ignore(self.session, OutboxRow, row, conflict=["dedup_key"]) == 1

    async def get(self, *, dedup_key: str) -> OutboxRow | None:
        """Return a message by its dedup key, as the database has it now."""
        stmt = (
            select(OutboxRow)
            .where(OutboxRow.dedup_key == dedup_key)
            .execution_options(populate_existing=True)
        )
        return (await self.session.scalars(stmt)).one_or_none()

    async def count(self, *, state: OutboxState, channel_id: str | None = None) -> int:
        """Count messages in a state, in one channel or everywhere."""
        stmt = select(func.count()).select_from(OutboxRow).where(OutboxRow.state == state)
        if channel_id is not None:
            stmt = stmt.where(OutboxRow.channel_id == channel_id)
        return int((await self.session.scalar(stmt)) or 0)

    async def claim_due(
        self, *, owner: str, now: datetime, ttl: timedelta, limit: int
    ) -> list[OutboxRow]:
        """Lease up to `limit` due messages, oldest due first.

        A row still in SENDING is claimable only once its sender's lease expired: its outcome is
        unknown, and the new holder must look for its dedup key in the channel before resending.
        """
        return await leases.claim_due(
            self.session,
            OutboxRow,
            due=OutboxRow.state.in_([OutboxState.PENDING, OutboxState.SENDING])
            & (OutboxRow.next_attempt_at <= now),
            order_by=[OutboxRow.next_attempt_at, OutboxRow.id],
            owner=owner,
            now=now,
            ttl=ttl,
            limit=limit,
        )

    async def mark_sending(self, row_id: int, lease: Lease, *, now: datetime) -> None:
        """Record, before calling chat, that an attempt starts; commit this before sending."""
        values = {
            "state": OutboxState.SENDING,
            "sending_since": now,
            "attempts": OutboxRow.attempts + 1,
        }
        await leases.write_fenced(self.session, OutboxRow, row_id, lease, values)

    async def mark_sent(
        self, row_id: int, lease: Lease, *, slack_ts: str | None, now: datetime
    ) -> None:
        """Record a delivered message with its Slack `ts`, and give the lease up."""
        values = {
            "state": OutboxState.SENT,
            "slack_ts": slack_ts,
            "sent_at": now,
            "sending_since": None,
            "last_error": None,
        }
        await leases.release(self.session, OutboxRow, row_id, lease, values)

    async def retry_later(
        self, row_id: int, lease: Lease, *, error: str, next_attempt_at: datetime
    ) -> None:
        """Put a message back in the queue after a failed attempt, due at `next_attempt_at`."""
        values = {
            "state": OutboxState.PENDING,
            "last_error": error,
            "next_attempt_at": next_attempt_at,
            "sending_since": None,
        }
        await leases.release(self.session, OutboxRow, row_id, lease, values)

    async def mark_dead(self, row_id: int, lease: Lease, *, error: str) -> None:
        """Give a message up for good (a permanent error or too many attempts)."""
        values = {"state": OutboxState.DEAD, "last_error": error, "sending_since": None}
        await leases.release(self.session, OutboxRow, row_id, lease, values)
