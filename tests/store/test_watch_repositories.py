"""Watched jobs, pool sweeps, status cards, event series and heartbeats, as the watcher needs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store import Store, lease_of
from bot.store.repositories.watch import ActiveState, SeenJob, SweepBounds

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
TTL = timedelta(seconds=60)


async def test_watching_a_job_twice_keeps_one_row_due_at_once(store: Store) -> None:
    async with store.transaction() as uow:
        assert await uow.watched_jobs.watch(pool_id="p", job_id="j1", now=NOW, queue_name="q")
        assert not await uow.watched_jobs.watch(pool_id="p", job_id="j1", now=NOW)
        await uow.watched_jobs.watch(pool_id="p", job_id="j2", now=NOW + timedelta(seconds=1))
        await uow.watched_jobs.watch(pool_id="other", job_id="j3", now=NOW)

    async with store.transaction() as uow:
        (row,) = await uow.watched_jobs.claim_due(owner="r", now=NOW, ttl=TTL, limit=1)
        await uow.watched_jobs.finish(
            row.id,
            lease_of(row),
            {"last_status": "Succeeded", "active": False, "next_poll_at": None},
        )

    async with store.transaction() as uow:
        active = await uow.watched_jobs.active_in_pool(pool_id="p")
        done = await uow.watched_jobs.get(pool_id="p", job_id="j1")
        later = NOW + timedelta(days=1)
        rest = await uow.watched_jobs.claim_due(owner="r", now=later, ttl=TTL, limit=10)

    assert [job.job_id for job in active] == ["j2"]
    assert done is not None
    assert (done.last_status, done.queue_name, done.lease_owner) == ("Succeeded", "q", None)
    assert sorted(job.job_id for job in rest) == ["j2", "j3"]  # the finished job costs nothing


async def test_cursors_survive_a_fenced_save(store: Store) -> None:
    async with store.transaction() as uow:
        await uow.watched_jobs.watch(pool_id="p", job_id="j1", now=NOW, follow_logs=True)
        (row,) = await uow.watched_jobs.claim_due(owner="r", now=NOW, ttl=TTL, limit=1)
        await uow.watched_jobs.save(
            row.id,
            lease_of(row),
            {"events_cursor": "2026-11-26T11:59:00Z#7", "log_cursors": {"worker-0": 120}},
        )

    async with store.transaction() as uow:
        saved = await uow.watched_jobs.get(pool_id="p", job_id="j1")

    assert saved is not None
    assert (saved.events_cursor, saved.log_cursors) == ("2026-11-26T11:59:00Z#7", {"worker-0": 120})
    assert saved.follow_logs


async def test_a_pool_sweep_is_leased_then_rescheduled_and_counts_errors(store: Store) -> None:
    async with store.transaction() as uow:
        assert await uow.pool_sweeps.ensure(pool_ids=["p1", "p2"], now=NOW) == 2
        assert await uow.pool_sweeps.ensure(pool_ids=["p1", "p3"], now=NOW) == 1
        swept = await uow.pool_sweeps.claim_due(owner="r", now=NOW, ttl=TTL, limit=10)
        assert await uow.pool_sweeps.claim_due(owner="s", now=NOW, ttl=TTL, limit=10) == []
        by_pool = {row.pool_id: row for row in swept}
        nxt = NOW + timedelta(seconds=30)
        await uow.pool_sweeps.finish("p1", lease_of(by_pool["p1"]), swept_at=NOW, next_sweep_at=nxt)
        await uow.pool_sweeps.finish(
            "p2", lease_of(by_pool["p2"]), swept_at=NOW, next_sweep_at=nxt, error="HTTP 500"
        )

    async with store.transaction() as uow:
        p1 = await uow.pool_sweeps.get(pool_id="p1")
        p2 = await uow.pool_sweeps.get(pool_id="p2")
        due = await uow.pool_sweeps.claim_due(owner="s", now=nxt, ttl=TTL, limit=10)

    assert sorted(by_pool) == ["p1", "p2", "p3"]
    assert p1 is not None
    assert p2 is not None
    assert (p1.last_swept_at, p1.error_count) == (NOW, 0)
    assert (p2.last_swept_at, p2.error_count, p2.last_error) == (None, 1, "HTTP 500")
    assert sorted(row.pool_id for row in due) == ["p1", "p2"]  # p3 is still leased to r


async def test_a_sweep_keeps_its_bounds_until_a_walk_gives_new_ones(store: Store) -> None:
    horizon, newest = NOW - timedelta(days=3), NOW - timedelta(minutes=1)
    async with store.transaction() as uow:
        await uow.pool_sweeps.ensure(pool_ids=["p"], now=NOW)
        (row,) = await uow.pool_sweeps.claim_due(owner="r", now=NOW, ttl=TTL, limit=1)
        bounds = SweepBounds(horizon_at=horizon, newest_at=newest)
        await uow.pool_sweeps.finish(
            "p", lease_of(row), swept_at=NOW, next_sweep_at=NOW, bounds=bounds
        )
    later = NOW + timedelta(minutes=1)
    async with store.transaction() as uow:
        (row,) = await uow.pool_sweeps.claim_due(owner="r", now=later, ttl=TTL, limit=1)
        await uow.pool_sweeps.finish(
            "p", lease_of(row), swept_at=later, next_sweep_at=later, error="AihcServerError"
        )
    async with store.transaction() as uow:
        kept = await uow.pool_sweeps.get(pool_id="p")

    assert kept is not None
    assert (kept.horizon_at, kept.newest_at, kept.last_swept_at) == (horizon, newest, NOW)


async def test_finished_jobs_recorded_as_seen_cost_nothing_and_keep_watched_rows(
    store: Store,
) -> None:
    async with store.transaction() as uow:
        await uow.watched_jobs.watch(pool_id="p", job_id="running", now=NOW)
        seen = [
            SeenJob("p", "running", "run", "q", "Succeeded"),
            SeenJob("p", "done", "done-job", "q", "Failed"),
        ]
        assert await uow.watched_jobs.record_seen(seen, now=NOW) == 1
    async with store.transaction() as uow:
        states = await uow.watched_jobs.active_states(pool_id="p")
        done = await uow.watched_jobs.get(pool_id="p", job_id="done")
        due = await uow.watched_jobs.claim_due(owner="r", now=NOW + TTL, ttl=TTL, limit=10)

    assert states == [ActiveState("running", None, {})]  # the watched row is left as it was
    assert done is not None
    assert (done.last_status, done.active, done.next_poll_at) == ("Failed", False, None)
    assert [row.job_id for row in due] == ["running"]


async def test_one_card_per_channel_and_job_remembers_its_ts(store: Store) -> None:
    async with store.transaction() as uow:
        card = await uow.status_cards.get_or_create(
            workspace_id="T1", channel_id="C1", pool_id="p", job_id="j1", now=NOW
        )
        same = await uow.status_cards.get_or_create(
            workspace_id="T1", channel_id="C1", pool_id="p", job_id="j1", now=NOW
        )
        await uow.status_cards.get_or_create(
            workspace_id="T1", channel_id="C2", pool_id="p", job_id="j1", now=NOW
        )
        await uow.status_cards.mark_posted(
            card_id=card.id, slack_ts="1732622400.000100", content_hash="abc", now=NOW
        )

    async with store.transaction() as uow:
        cards = await uow.status_cards.of_job(pool_id="p", job_id="j1")

    assert same.id == card.id
    assert [(c.channel_id, c.slack_ts, c.content_hash) for c in cards] == [
        ("C1", "1732622400.000100", "abc"),
        ("C2", None, None),
    ]


async def test_an_event_series_keeps_its_highest_count_and_what_was_told(store: Store) -> None:
    def seen(count: int, second: int) -> dict[str, object]:
        stamp = NOW + timedelta(seconds=second)
        return {
            "reason": "BackOff",
            "event_type": "Warning",
            "message": f"Back-off restarting failed container ({second})",
            "first_seen_at": NOW,
            "last_seen_at": stamp,
            "occurrences": count,
        }

    key = "worker-0/BackOff"
    async with store.transaction() as uow:
        await uow.event_series.record(
            pool_id="p", job_id="j1", series_key=key, values=seen(3, 2), told=3, now=NOW
        )
    async with store.transaction() as uow:
        # A later poll sees a smaller count (an event list that rolled over) and tells nothing.
        await uow.event_series.record(
            pool_id="p", job_id="j1", series_key=key, values=seen(2, 9), now=NOW
        )
        other = await uow.event_series.of_job(pool_id="p", job_id="j2")
        [again] = await uow.event_series.of_job(pool_id="p", job_id="j1", keys=[key, "absent"])

    assert other == []
    assert (again.occurrences, again.notified_occurrences) == (3, 3)
    assert (again.first_seen_at, again.last_seen_at) == (NOW, NOW + timedelta(seconds=9))
    assert again.reason == "BackOff"


async def test_heartbeats_show_who_is_alive(store: Store) -> None:
    async with store.transaction() as uow:
        await uow.replicas.beat(replica_id="a", now=NOW, hostname="host-a", pid=10)
        await uow.replicas.beat(replica_id="b", now=NOW)
        await uow.replicas.beat(replica_id="a", now=NOW + TTL, hostname="host-a", pid=10)

    async with store.transaction() as uow:
        alive = await uow.replicas.alive_since(since=NOW + timedelta(seconds=1))
        forgotten = await uow.replicas.forget_before(before=NOW + timedelta(seconds=1))

    assert [(r.replica_id, r.started_at, r.last_seen_at) for r in alive] == [("a", NOW, NOW + TTL)]
    assert forgotten == 1
