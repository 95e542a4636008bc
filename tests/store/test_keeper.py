"""A lease keeper holds a replica's claim while it works, and lets go of what it lost."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.store import Store, lease_of
from bot.store.keeper import LeaseKeeper
from bot.store.tables import WatchedJobRow
from tests.store.test_leases import NOW, claim, seed_jobs

TTL = timedelta(seconds=30)


async def claimed(store: Store, owner: str, now: datetime = NOW) -> list[WatchedJobRow]:
    """Claim every due job as `owner`."""
    async with store.transaction() as uow:
        return await uow.watched_jobs.claim_due(owner=owner, now=now, ttl=TTL, limit=10)


async def test_renewal_keeps_other_replicas_out_for_as_long_as_the_work_lasts(store: Store) -> None:
    await seed_jobs(store, 3)
    rows = await claimed(store, "replica-a")
    clock = [NOW]
    keeper = LeaseKeeper(store, WatchedJobRow, rows, ttl=TTL, clock=lambda: clock[0])

    # The work goes on past the first lease: renewing twice on the way keeps it.
    for _ in range(2):
        clock[0] += TTL * 3 / 4
        await keeper.renew()

    assert await claim(store, "replica-b", now=clock[0]) == []
    assert keeper.remaining(rows[0].id) == TTL.total_seconds()
    # The lease is still fenced by the version it was claimed with.
    async with store.transaction() as uow:
        await uow.watched_jobs.finish(rows[0].id, lease_of(rows[0]), {"error_count": 0})


async def test_a_row_taken_over_after_a_pause_is_never_renewed_again(store: Store) -> None:
    await seed_jobs(store, 2)
    rows = await claimed(store, "replica-a")
    later = NOW + TTL + timedelta(seconds=1)
    # replica-a paused past its lease; replica-b took one row over.
    async with store.transaction() as uow:
        taken = await uow.watched_jobs.claim_due(owner="replica-b", now=later, ttl=TTL, limit=1)
    keeper = LeaseKeeper(store, WatchedJobRow, rows, ttl=TTL, clock=lambda: later)

    await keeper.renew()

    lost, kept = (rows[0], rows[1]) if taken[0].id == rows[0].id else (rows[1], rows[0])
    assert keeper.remaining(lost.id) == 0.0
    assert keeper.remaining(kept.id) == TTL.total_seconds()
    async with store.transaction() as uow:
        again = await uow.watched_jobs.get(pool_id="pool-1", job_id=lost.job_id)
    assert again is not None
    assert (again.lease_owner, again.lease_expires_at) == ("replica-b", later + TTL)


async def test_the_keeper_renews_on_its_own_while_open(store: Store) -> None:
    await seed_jobs(store, 1)
    rows = await claimed(store, "replica-a", now=datetime.now(UTC))
    short = timedelta(seconds=0.4)

    async def expiry() -> datetime | None:
        async with store.transaction() as uow:
            row = await uow.watched_jobs.get(pool_id="pool-1", job_id=rows[0].job_id)
        assert row is not None
        return row.lease_expires_at

    claimed_until = await expiry()
    async with LeaseKeeper(store, WatchedJobRow, rows, ttl=short, clock=lambda: datetime.now(UTC)):
        for _ in range(100):  # bounded: renewal runs every 0.1 s
            if await expiry() != claimed_until:
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("the lease was never renewed")
