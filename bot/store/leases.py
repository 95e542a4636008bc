"""Leases: replicas claim due rows, write back only while they hold them, and expiry hands over.

A claim bumps the row's `lease_version`; every write-back names the owner and version it was
given, so a replica whose lease expired and was taken over (a long GC pause, a partition) cannot
overwrite the new holder's work. Time is passed in, never read here, so tests can move it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast

from sqlalchemy import ColumnElement, CursorResult, inspect, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.base import LeaseMixin
from bot.store.errors import LeaseLostError

LeasedRow = TypeVar("LeasedRow", bound=LeaseMixin)


@dataclass(frozen=True, slots=True)
class Lease:
    """What a claimer holds on one row: its name, the fencing version and the expiry."""

    owner: str
    version: int
    expires_at: datetime


def lease_of(row: LeaseMixin) -> Lease:
    """Return the lease a freshly claimed row carries."""
    if row.lease_owner is None or row.lease_expires_at is None:
        raise ValueError("row is not leased")
    return Lease(row.lease_owner, row.lease_version, row.lease_expires_at)


def primary_key_of(model: type[LeaseMixin]) -> Any:
    """Return the single primary-key column of a leased table."""
    return inspect(model).primary_key[0]


async def claim_due(
    session: AsyncSession,
    model: type[LeasedRow],
    *,
    due: ColumnElement[bool],
    order_by: Sequence[Any],
    owner: str,
    now: datetime,
    ttl: timedelta,
    limit: int,
) -> list[LeasedRow]:
    """Lease up to `limit` due rows that nobody holds (or whose lease expired) in one statement.

    On PostgreSQL the candidates are locked with FOR UPDATE SKIP LOCKED, so concurrent claimers
    split the rows instead of queueing behind each other; SQLite ignores the clause and relies on
    its single writer.
    """
    key = primary_key_of(model)
    free = or_(model.lease_owner.is_(None), model.lease_expires_at <= now)
    candidates = select(key).where(due, free).order_by(*order_by).limit(limit)
    candidates = candidates.with_for_update(skip_locked=True)
    stmt = (
        update(model)
        .where(key.in_(candidates))
        .values(
            lease_owner=owner,
            lease_expires_at=now + ttl,
            lease_version=model.lease_version + 1,
        )
        .returning(model)
    )
    options = {"synchronize_session": False, "populate_existing": True}
    rows = await session.scalars(stmt, execution_options=options)
    return list(rows.all())


async def write_fenced(
    session: AsyncSession,
    model: type[LeaseMixin],
    key: object,
    lease: Lease,
    values: Mapping[str, Any],
) -> None:
    """Update a leased row only if `lease` is still the current one, else raise `LeaseLostError`."""
    column = primary_key_of(model)
    stmt = (
        update(model)
        .where(
            column == key,
            model.lease_owner == lease.owner,
            model.lease_version == lease.version,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    result = cast(CursorResult[Any], await session.execute(stmt))
    if result.rowcount != 1:
        table = str(getattr(model, "__tablename__", model.__name__))
        raise LeaseLostError(table, key, lease.owner, lease.version)


async def renew(
    session: AsyncSession,
    model: type[LeaseMixin],
    key: object,
    lease: Lease,
    *,
    now: datetime,
    ttl: timedelta,
) -> Lease:
    """Extend a held lease to `now + ttl`; the version stays, so the lease is still fenced."""
    expires_at = now + ttl
    await write_fenced(session, model, key, lease, {"lease_expires_at": expires_at})
    return Lease(lease.owner, lease.version, expires_at)


async def release(
    session: AsyncSession,
    model: type[LeaseMixin],
    key: object,
    lease: Lease,
    values: Mapping[str, Any] | None = None,
) -> None:
    """Write the final values of a held row and give its lease up in the same fenced statement."""
    final = dict(values or {})
    final.update(lease_owner=None, lease_expires_at=None)
    await write_fenced(session, model, key, lease, final)
