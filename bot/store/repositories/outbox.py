"""The outbox repository: enqueue with a dedup key, lease due messages, record how sending went."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, tuple_, update
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
        card_version: int | None = None,
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
            "card_version": card_version,
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
        """Lease up to `limit` due messages (the most overdue), returned oldest first.

        A row still in SENDING is claimable only once its sender's lease expired: its outcome is
        unknown, and the new holder must look for its dedup key in the channel before resending.
        """
        rows = await leases.claim_due(
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
        # UPDATE … RETURNING promises no order (PostgreSQL hands rows back as it meets them on
        # disk), while a channel reads its messages in the order they were queued.
        return sorted(rows, key=lambda row: row.id)

    async def mark_sending(self, row_id: int, lease: Lease, *, now: datetime) -> None:
        """Record, before calling chat, that an attempt starts; commit this before sending."""
        values = {
            "state": OutboxState.SENDING,
            "sending_since": now,
            "attempts": OutboxRow.attempts + 1,
        }
        await leases.write_fenced(self.session, OutboxRow, row_id, lease, values)

    async def count_attempt(self, row_id: int, lease: Lease) -> None:
        """Count an attempt that sends nothing (a history lookup); commit this before it starts."""
        values = {"attempts": OutboxRow.attempts + 1}
        await leases.write_fenced(self.session, OutboxRow, row_id, lease, values)

    async def earlier_undelivered(self, row: OutboxRow, *, kinds: Collection[str]) -> bool:
        """Say whether an older message of these kinds still waits in the row's channel."""
        stmt = select(func.count()).where(
            OutboxRow.channel_id == row.channel_id,
            OutboxRow.workspace_id == row.workspace_id,
            OutboxRow.id < row.id,
            OutboxRow.kind.in_(list(kinds)),
            OutboxRow.state.in_(OutboxState.undelivered()),
        )
        return bool(await self.session.scalar(stmt))

    async def newer_edit_queued(self, row: OutboxRow) -> bool:
        """Say whether a later edit of the same card waits, which makes this one redundant."""
        later = (
            OutboxRow.card_version > row.card_version
            if row.card_version is not None
            else OutboxRow.id > row.id
        )
        stmt = select(func.count()).where(
            OutboxRow.status_card_id == row.status_card_id,
            OutboxRow.kind == row.kind,
            OutboxRow.id != row.id,
            later,
            OutboxRow.state.in_(OutboxState.undelivered()),
        )
        return bool(await self.session.scalar(stmt))

    async def older_edit_in_flight(self, row: OutboxRow, *, now: datetime) -> bool:
        """Say whether an older edit of the same card is being sent by someone right now."""
        stmt = select(func.count()).where(
            OutboxRow.status_card_id == row.status_card_id,
            OutboxRow.kind == row.kind,
            OutboxRow.id < row.id,
            OutboxRow.state == OutboxState.SENDING,
            OutboxRow.lease_owner.is_not(None),
            OutboxRow.lease_expires_at > now,
        )
        return bool(await self.session.scalar(stmt))

    async def state_of(self, *, dedup_key: str) -> OutboxState | None:
        """Return where the message with this dedup key stands, or None if it was never queued."""
        stmt = select(OutboxRow.state).where(OutboxRow.dedup_key == dedup_key)
        state: OutboxState | None = await self.session.scalar(stmt)
        return state

    async def forget_delivered(self, *, before: datetime) -> int:
        """Delete messages delivered, dropped or given up before `before`."""
        stmt = delete(OutboxRow).where(
            OutboxRow.state.in_([OutboxState.SENT, OutboxState.DROPPED, OutboxState.DEAD]),
            OutboxRow.created_at < before,
        )
        result = await self.session.execute(stmt)
        return int(getattr(result, "rowcount", 0))

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

    async def hand_back(
        self,
        row_id: int,
        lease: Lease,
        *,
        next_attempt_at: datetime,
        state: OutboxState | None = None,
        attempts: int | None = None,
        error: str | None = None,
    ) -> None:
        """Give the lease up on a message still on its way, due again at `next_attempt_at`.

        A new `state` PENDING also forgets when the last attempt began: nothing is in doubt.
        """
        values: dict[str, Any] = {"next_attempt_at": next_attempt_at}
        if state is not None:
            values["state"] = state
            if state is OutboxState.PENDING:
                values["sending_since"] = None
        if attempts is not None:
            values["attempts"] = attempts
        if error is not None:
            values["last_error"] = error
        await leases.release(self.session, OutboxRow, row_id, lease, values)

    async def hand_back_untouched(
        self, rows: Sequence[OutboxRow], *, next_attempt_at: datetime
    ) -> int:
        """Give the leases up on claimed messages not worked on, in one statement; count them.

        A row whose lease was lost meanwhile is left to its new holder.
        """
        if not rows:
            return 0
        pairs = [(row.id, row.lease_version) for row in rows]
        stmt = (
            update(OutboxRow)
            .where(
                tuple_(OutboxRow.id, OutboxRow.lease_version).in_(pairs),
                OutboxRow.lease_owner == rows[0].lease_owner,
            )
            .values(next_attempt_at=next_attempt_at, lease_owner=None, lease_expires_at=None)
            .execution_options(synchronize_session=False)
        )
        result = await self.session.execute(stmt)
        return int(getattr(result, "rowcount", 0))

    async def mark_dead(self, row_id: int, lease: Lease, *, error: str) -> None:
        """Give a message up for good (a permanent error or too many attempts)."""
        values = {"state": OutboxState.DEAD, "last_error": error, "sending_since": None}
        await leases.release(self.session, OutboxRow, row_id, lease, values)

    async def mark_dropped(self, row_id: int, lease: Lease, *, why: str) -> None:
        """Close a message that is no longer needed (a newer edit of its card superseded it)."""
        values = {"state": OutboxState.DROPPED, "last_error": why, "sending_since": None}
        await leases.release(self.session, OutboxRow, row_id, lease, values)
