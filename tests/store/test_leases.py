"""Leases: due rows go to one claimer, stale holders cannot write, expiry hands work over."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.store import LeaseLostError, Store, lease_of, leases
from bot.store.tables import WatchedJobRow
from bot.store.upsert import insert_or_ignore

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
TTL = timedelta(seconds=30)


async def seed_jobs(store: Store, count: int, *, due_at: datetime = NOW) -> None:
    """Watch `count` jobs in one pool, the lower numbers more overdue."""
    rows = [
        {
            "pool_id": "pool-1",
            "job_id": f"job-{number:05d}",
            "next_poll_at": due_at - timedelta(seconds=count - number),
            "created_at": NOW,
        }
        for number in range(count)
    ]
    async with store.transaction() as uow:
        await insert_or_ignore(uow.session, WatchedJobRow, rows, conflict=["pool_id", "job_id"])


async def claim(store: Store, owner: str, *, now: datetime = NOW, limit: int = 10) -> list[str]:
    """Claim due jobs as `owner` and return their job ids."""
    async with store.transaction() as uow:
        rows = await uow.watched_jobs.claim_due(owner=owner, now=now, ttl=TTL, limit=limit)
        return [row.job_id for row in rows]


async def test_a_claim_takes_the_most_overdue_rows_up_to_the_limit(store: Store) -> None:
    await seed_jobs(store, 5)
    async with store.transaction() as uow:
        await uow.watched_jobs.watch(pool_id="pool-1", job_id="later", now=NOW + timedelta(hours=1))

    first = await claim(store, "replica-a", limit=3)
    second = await claim(store, "replica-b", limit=10)

    assert first == ["job-00000", "job-00001", "job-00002"]
    assert second == ["job-00003", "job-00004"]
    assert await claim(store, "replica-c") == []


async def test_a_claimed_row_carries_its_owner_version_and_expiry(store: Store) -> None:
    await seed_jobs(store, 1)

    async with store.transaction() as uow:
        (row,) = await uow.watched_jobs.claim_due(owner="replica-a", now=NOW, ttl=TTL, limit=1)
        lease = lease_of(row)

    assert (lease.owner, lease.version, lease.expires_at) == ("replica-a", 1, NOW + TTL)


async def test_an_expired_lease_goes_to_another_claimer(store: Store, other_store: Store) -> None:
    await seed_jobs(store, 1)
    assert await claim(store, "replica-a") == ["job-00000"]

    assert await claim(other_store, "replica-b", now=NOW + TTL - timedelta(seconds=1)) == []
    assert await claim(other_store, "replica-b", now=NOW + TTL) == ["job-00000"]

    async with store.transaction() as uow:
        row = await uow.watched_jobs.get(pool_id="pool-1", job_id="job-00000")
    assert row is not None
    assert (row.lease_owner, row.lease_version) == ("replica-b", 2)


async def test_a_stale_owner_cannot_write_back_but_the_new_one_can(
    store: Store, other_store: Store
) -> None:
    await seed_jobs(store, 20)
    async with store.transaction() as uow:
        stale = await uow.watched_jobs.claim_due(owner="replica-a", now=NOW, ttl=TTL, limit=20)
    later = NOW + TTL + timedelta(seconds=5)
    async with other_store.transaction() as uow:
        fresh = await uow.watched_jobs.claim_due(owner="replica-b", now=later, ttl=TTL, limit=20)

    for row in stale:  # replica-a wakes up from a long pause and tries to write back
        with pytest.raises(LeaseLostError, match="replica-a at v1"):
            async with store.transaction() as uow:
                await uow.watched_jobs.save(row.id, lease_of(row), {"last_status": "Failed"})
    async with other_store.transaction() as uow:
        for row in fresh:
            await uow.watched_jobs.save(row.id, lease_of(row), {"last_status": "Running"})

    async with store.transaction() as uow:
        query = select(WatchedJobRow.last_status, WatchedJobRow.lease_owner).distinct()
        outcome = [tuple(row) for row in (await uow.session.execute(query)).all()]
    assert len(fresh) == 20
    assert outcome == [("Running", "replica-b")]


async def test_a_refused_write_rolls_back_the_whole_unit_of_work(store: Store) -> None:
    await seed_jobs(store, 2)
    async with store.transaction() as uow:
        first, second = await uow.watched_jobs.claim_due(
            owner="replica-a", now=NOW, ttl=TTL, limit=2
        )
        await uow.watched_jobs.finish(first.id, lease_of(first), {"next_poll_at": None})

    async def write_both() -> None:
        async with store.transaction() as uow:
            await uow.watched_jobs.save(second.id, lease_of(second), {"last_status": "Running"})
            await uow.watched_jobs.save(first.id, lease_of(first), {"last_status": "Failed"})

    with pytest.raises(LeaseLostError):
        await write_both()

    async with store.transaction() as uow:
        row = await uow.watched_jobs.get(pool_id="pool-1", job_id=second.job_id)
    assert row is not None
    assert row.last_status is None


async def test_finishing_releases_the_lease_and_reschedules(store: Store) -> None:
    await seed_jobs(store, 1)
    async with store.transaction() as uow:
        (row,) = await uow.watched_jobs.claim_due(owner="replica-a", now=NOW, ttl=TTL, limit=1)
        await uow.watched_jobs.finish(
            row.id, lease_of(row), {"next_poll_at": NOW + timedelta(seconds=10)}
        )

    assert await claim(store, "replica-b", now=NOW + timedelta(seconds=9)) == []
    assert await claim(store, "replica-b", now=NOW + timedelta(seconds=10)) == ["job-00000"]


async def test_renewing_keeps_the_row_from_other_claimers(store: Store) -> None:
    await seed_jobs(store, 1)
    async with store.transaction() as uow:
        (row,) = await uow.watched_jobs.claim_due(owner="replica-a", now=NOW, ttl=TTL, limit=1)
    async with store.transaction() as uow:
        renewed = await leases.renew(
            uow.session, WatchedJobRow, row.id, lease_of(row), now=NOW + TTL / 2, ttl=TTL
        )

    assert await claim(store, "replica-b", now=NOW + TTL) == []
    assert renewed.expires_at == NOW + TTL / 2 + TTL
    async with store.transaction() as uow:
        await uow.watched_jobs.save(row.id, renewed, {"error_count": 1})


async def test_concurrent_claimers_never_claim_a_row_twice(database_url: str) -> None:
    total, claimers = 3000, 8
    setup = Store.from_url(database_url)
    await seed_jobs(setup, total)  # disposed at the end, after counting

    async def claimer(name: str) -> list[str]:
        store = Store.from_url(database_url)  # its own engine, so its own connection
        mine: list[str] = []
        try:
            while True:
                async with store.transaction() as uow:
                    rows = await uow.watched_jobs.claim_due(
                        owner=name, now=NOW, ttl=timedelta(hours=1), limit=25
                    )
                    # Hold the row locks a moment so the others must skip past them.
                    await asyncio.sleep(0.002)
                if not rows:
                    return mine
                mine += [row.job_id for row in rows]
        finally:
            await store.dispose()

    shares = await asyncio.gather(*(claimer(f"replica-{n}") for n in range(claimers)))

    claimed = [job for share in shares for job in share]
    assert len(claimed) == total
    assert len(set(claimed)) == total
    assert sum(1 for share in shares if share) >= 2
    versions = select(WatchedJobRow.lease_version, func.count()).group_by(
        WatchedJobRow.lease_version
    )
    try:
        async with setup.transaction() as uow:
            counted = [tuple(row) for row in (await uow.session.execute(versions)).all()]
    finally:
        await setup.dispose()
    assert counted == [(1, total)]  # every row was claimed exactly once


async def test_postgres_claimers_skip_rows_locked_by_an_open_claim(pg_database_url: str) -> None:
    store = Store.from_url(pg_database_url)
    await seed_jobs(store, 3)
    try:
        async with store.transaction() as holder:
            held = await holder.watched_jobs.claim_due(owner="slow", now=NOW, ttl=TTL, limit=1)
            # The holder has not committed: its row is locked, not yet visibly leased.
            others = await asyncio.wait_for(claim(store, "fast"), timeout=10)
        assert [row.job_id for row in held] == ["job-00000"]
        assert others == ["job-00001", "job-00002"]
    finally:
        await store.dispose()
