"""Datetimes go in with any offset and come out as the same instant, aware, in UTC, in order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError

from bot.store import AuditResult, Store
from bot.store.tables import AuditEntryRow

PLUS_TWO = timezone(timedelta(hours=2))
MINUS_ONE = timezone(timedelta(hours=-1))


async def record(store: Store, at: datetime, action: str) -> None:
    """Write one audit entry at `at`."""
    async with store.transaction() as uow:
        await uow.audit.record(
            at=at,
            workspace_id="T1",
            channel_id="C1",
            actor_id="U1",
            action=action,
            target="job-1",
            result=AuditResult.OK,
        )


async def test_ordering_follows_the_instant_not_the_wall_clock(store: Store) -> None:
    # Wall clocks say 10:00, 09:00, 08:30; the instants are 08:00Z, 09:00Z, 09:30Z.
    await record(store, datetime(2026, 11, 26, 10, 0, tzinfo=PLUS_TWO), "first")
    await record(store, datetime(2026, 11, 26, 9, 0, tzinfo=UTC), "second")
    await record(store, datetime(2026, 11, 26, 8, 30, tzinfo=MINUS_ONE), "third")

    async with store.transaction() as uow:
        newest_first = await uow.audit.recent(workspace_id="T1")

    assert [entry.action for entry in newest_first] == ["third", "second", "first"]
    assert [entry.at for entry in newest_first] == [
        datetime(2026, 11, 26, 9, 30, tzinfo=UTC),
        datetime(2026, 11, 26, 9, 0, tzinfo=UTC),
        datetime(2026, 11, 26, 8, 0, tzinfo=UTC),
    ]
    assert all(entry.at.tzinfo is UTC for entry in newest_first)


async def test_comparisons_with_an_offset_compare_instants(store: Store) -> None:
    await record(store, datetime(2026, 11, 26, 9, 0, tzinfo=UTC), "nine")
    await record(store, datetime(2026, 11, 26, 9, 45, tzinfo=UTC), "quarter-to-ten")

    # 10:30+02:00 is 08:30Z, 10:30-01:00 is 11:30Z.
    async with store.transaction() as uow:
        after = select(AuditEntryRow.action).where(
            AuditEntryRow.at > datetime(2026, 11, 26, 10, 30, tzinfo=PLUS_TWO)
        )
        before = select(AuditEntryRow.action).where(
            AuditEntryRow.at < datetime(2026, 11, 26, 10, 30, tzinfo=MINUS_ONE)
        )
        assert sorted((await uow.session.scalars(after)).all()) == ["nine", "quarter-to-ten"]
        assert sorted((await uow.session.scalars(before)).all()) == ["nine", "quarter-to-ten"]


async def test_a_naive_datetime_is_refused(store: Store) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        await record(store, datetime(2026, 11, 26, 9, 0), "naive")  # noqa: DTZ001

    async with store.transaction() as uow:
        assert await uow.audit.recent(workspace_id="T1") == []
