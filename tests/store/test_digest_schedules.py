"""Digest schedules: one per channel, leased when due, fenced when changed meanwhile."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.digest import DigestPeriod
from bot.store import LeaseLostError, Store, lease_of
from bot.store.repositories.digests import DigestScheduleRepository

NOW = datetime(2026, 12, 2, 0, 0, tzinfo=UTC)
DUE = NOW + timedelta(hours=1)
TTL = timedelta(seconds=60)


async def put(repo: DigestScheduleRepository, channel: str, at: str = "09:00") -> None:
    """Schedule a channel's daily digest, due an hour after NOW."""
    await repo.put(
        workspace_id="T1",
        channel_id=channel,
        period=DigestPeriod.DAILY,
        local_time=at,
        zone="Asia/Shanghai",
        next_due_at=DUE,
        created_by="U1",
        now=NOW,
    )


async def test_a_channel_has_one_schedule_claimed_once_when_due(
    store: Store, other_store: Store
) -> None:
    async with store.transaction() as uow:
        await put(uow.digest_schedules, "C1")
        await put(uow.digest_schedules, "C1", at="10:00")
        await put(uow.digest_schedules, "C2")
    async with store.transaction() as uow:
        early = await uow.digest_schedules.claim_due(owner="a", now=NOW, ttl=TTL, limit=10)
        mine = await uow.digest_schedules.claim_due(owner="a", now=DUE, ttl=TTL, limit=10)
    async with other_store.transaction() as uow:
        theirs = await uow.digest_schedules.claim_due(owner="b", now=DUE, ttl=TTL, limit=10)
    assert early == []
    assert sorted((row.channel_id, row.local_time) for row in mine) == [
        ("C1", "10:00"),
        ("C2", "09:00"),
    ]
    assert theirs == []  # held by `a` until its lease ends

    row = next(row for row in mine if row.channel_id == "C1")
    async with store.transaction() as uow:
        await uow.digest_schedules.advance(
            row.id, lease_of(row), next_due_at=DUE + timedelta(days=1), last_end_at=DUE
        )
    async with store.transaction() as uow:
        stored = await uow.digest_schedules.get(workspace_id="T1", channel_id="C1")
        assert await uow.digest_schedules.remove(workspace_id="T1", channel_id="C2")
        assert not await uow.digest_schedules.remove(workspace_id="T1", channel_id="C2")
    assert stored is not None
    assert (stored.next_due_at, stored.last_end_at, stored.lease_owner) == (
        DUE + timedelta(days=1),
        DUE,
        None,
    )


async def test_a_schedule_changed_while_leased_fences_the_old_holder_out(store: Store) -> None:
    async with store.transaction() as uow:
        await put(uow.digest_schedules, "C1")
    async with store.transaction() as uow:
        (row,) = await uow.digest_schedules.claim_due(owner="a", now=DUE, ttl=TTL, limit=1)
    async with store.transaction() as uow:
        await put(uow.digest_schedules, "C1", at="10:00")
    with pytest.raises(LeaseLostError):
        async with store.transaction() as uow:
            await uow.digest_schedules.advance(
                row.id, lease_of(row), next_due_at=DUE + timedelta(days=1), last_end_at=DUE
            )
    async with store.transaction() as uow:
        stored = await uow.digest_schedules.get(workspace_id="T1", channel_id="C1")
    assert stored is not None
    assert (stored.local_time, stored.next_due_at, stored.last_end_at) == ("10:00", DUE, None)
