"""Subscriptions: one per channel and target, options updated in place, found for a job."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store import Store, TargetKind

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


async def subscribe(
    store: Store, kind: TargetKind, ref: str, channel: str = "C1", **options: object
) -> int:
    """Subscribe a channel of workspace T1 to a target in pool-a and return the id."""
    async with store.transaction() as uow:
        row = await uow.subscriptions.subscribe(
            workspace_id="T1",
            channel_id=channel,
            target_kind=kind,
            pool_id="pool-a",
            target_ref=ref,
            created_by="U1",
            now=NOW,
            **options,  # type: ignore[arg-type]
        )
        return row.id


async def test_subscribing_again_changes_options_not_the_count(store: Store) -> None:
    first = await subscribe(store, TargetKind.JOB, "job-1")
    again = await subscribe(
        store, TargetKind.JOB, "job-1", notify_logs=True, state_filter=["Failed"], mention="owner"
    )

    async with store.transaction() as uow:
        rows = await uow.subscriptions.in_channel(workspace_id="T1", channel_id="C1")

    assert first == again
    assert len(rows) == 1
    assert (rows[0].notify_logs, rows[0].state_filter, rows[0].mention) == (
        True,
        ["Failed"],
        "owner",
    )
    assert rows[0].target_kind is TargetKind.JOB


async def test_a_job_is_covered_by_its_own_its_queue_and_its_pool_subscriptions(
    store: Store,
) -> None:
    job = await subscribe(store, TargetKind.JOB, "job-1", channel="C1")
    queue = await subscribe(store, TargetKind.QUEUE, "q-train", channel="C2")
    pool = await subscribe(store, TargetKind.POOL, "pool-a", channel="C3")
    await subscribe(store, TargetKind.JOB, "job-2", channel="C4")
    await subscribe(store, TargetKind.QUEUE, "q-other", channel="C5")

    async with store.transaction() as uow:
        covering = await uow.subscriptions.covering_job(
            pool_id="pool-a", job_id="job-1", queue_name="q-train"
        )
        pools = await uow.subscriptions.following_pools()

    assert [row.id for row in covering] == [job, queue, pool]
    assert pools == ["pool-a"]


async def test_mute_pause_and_unsubscribe(store: Store) -> None:
    first = await subscribe(store, TargetKind.JOB, "job-1")
    second = await subscribe(store, TargetKind.JOB, "job-2")

    async with store.transaction() as uow:
        assert await uow.subscriptions.mute(subscription_id=first, until=NOW + timedelta(hours=1))
        paused = await uow.subscriptions.pause_channel(
            workspace_id="T1", channel_id="C1", reason="channel archived"
        )
        assert await uow.subscriptions.unsubscribe(subscription_id=second)
        assert not await uow.subscriptions.unsubscribe(subscription_id=second)

    async with store.transaction() as uow:
        (row,) = await uow.subscriptions.in_channel(workspace_id="T1", channel_id="C1")

    assert paused == 2
    assert row.muted_until == NOW + timedelta(hours=1)
    assert row.paused_reason == "channel archived"
