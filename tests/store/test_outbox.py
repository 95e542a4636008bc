"""The outbox: one row per dedup key, leased to one sender, with an unknown outcome kept visible."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.store import LeaseLostError, OutboxState, Store, lease_of

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
TTL = timedelta(seconds=60)


async def enqueue(store: Store, key: str, *, now: datetime = NOW) -> bool:
    """Queue a card post in C1 under `key`."""
    async with store.transaction() as uow:
        return await uow.outbox.enqueue(
            dedup_key=key,
            workspace_id="T1",
            channel_id="C1",
            kind="card.post",
            payload={"job": "job-1", "status": "Failed"},
            now=now,
        )


async def test_a_dedup_key_is_queued_once(store: Store) -> None:
    assert await enqueue(store, "card:C1:job-1:Failed")
    assert not await enqueue(store, "card:C1:job-1:Failed")

    async with store.transaction() as uow:
        assert await uow.outbox.count(state=OutboxState.PENDING) == 1
        row = await uow.outbox.get(dedup_key="card:C1:job-1:Failed")

    assert row is not None
    assert row.payload == {"job": "job-1", "status": "Failed"}
    assert (row.state, row.attempts) == (OutboxState.PENDING, 0)


async def test_a_delivered_message_is_never_claimed_again(store: Store) -> None:
    await enqueue(store, "m1")
    async with store.transaction() as uow:
        (row,) = await uow.outbox.claim_due(owner="sender-a", now=NOW, ttl=TTL, limit=10)
        await uow.outbox.mark_sending(row.id, lease_of(row), now=NOW)
    async with store.transaction() as uow:
        await uow.outbox.mark_sent(row.id, lease_of(row), slack_ts="1732622400.000100", now=NOW)

    async with store.transaction() as uow:
        later = NOW + timedelta(days=1)
        assert await uow.outbox.claim_due(owner="sender-b", now=later, ttl=TTL, limit=10) == []
        sent = await uow.outbox.get(dedup_key="m1")

    assert sent is not None
    assert (sent.state, sent.slack_ts, sent.attempts) == (OutboxState.SENT, "1732622400.000100", 1)
    assert sent.lease_owner is None


async def test_a_send_cut_short_is_handed_over_still_marked_sending(store: Store) -> None:
    await enqueue(store, "m1")
    async with store.transaction() as uow:
        (row,) = await uow.outbox.claim_due(owner="sender-a", now=NOW, ttl=TTL, limit=10)
        await uow.outbox.mark_sending(row.id, lease_of(row), now=NOW)
    # sender-a dies here, before it learns whether Slack got the message.

    async with store.transaction() as uow:
        assert await uow.outbox.claim_due(owner="b", now=NOW + TTL / 2, ttl=TTL, limit=10) == []
        (taken,) = await uow.outbox.claim_due(owner="b", now=NOW + TTL, ttl=TTL, limit=10)

    assert taken.state is OutboxState.SENDING  # so sender-b checks the history first
    assert taken.sending_since == NOW
    with pytest.raises(LeaseLostError):
        async with store.transaction() as uow:
            await uow.outbox.mark_sent(row.id, lease_of(row), slack_ts="1.2", now=NOW)


async def test_a_failed_attempt_waits_and_a_hopeless_one_dies(store: Store) -> None:
    await enqueue(store, "retry")
    await enqueue(store, "dead")
    async with store.transaction() as uow:
        rows = await uow.outbox.claim_due(owner="s", now=NOW, ttl=TTL, limit=10)
        by_key = {row.dedup_key: row for row in rows}
        retry, dead = by_key["retry"], by_key["dead"]
        await uow.outbox.hand_back(
            retry.id,
            lease_of(retry),
            error="ratelimited",
            next_attempt_at=NOW + timedelta(seconds=30),
        )
        await uow.outbox.mark_dead(dead.id, lease_of(dead), error="channel_not_found")

    async with store.transaction() as uow:
        soon = await uow.outbox.claim_due(
            owner="s", now=NOW + timedelta(seconds=29), ttl=TTL, limit=9
        )
        due = await uow.outbox.claim_due(
            owner="s", now=NOW + timedelta(seconds=30), ttl=TTL, limit=9
        )
        gone = await uow.outbox.get(dedup_key="dead")

    assert soon == []
    assert [row.dedup_key for row in due] == ["retry"]
    assert due[0].last_error == "ratelimited"
    assert gone is not None
    assert (gone.state, gone.last_error) == (OutboxState.DEAD, "channel_not_found")


async def test_claims_take_the_oldest_due_first_and_count_per_channel(store: Store) -> None:
    await enqueue(store, "newer", now=NOW)
    await enqueue(store, "older", now=NOW - timedelta(seconds=5))

    async with store.transaction() as uow:
        rows = await uow.outbox.claim_due(owner="s", now=NOW, ttl=TTL, limit=1)
        in_c1 = await uow.outbox.count(state=OutboxState.PENDING, channel_id="C1")
        in_c2 = await uow.outbox.count(state=OutboxState.PENDING, channel_id="C2")

    assert [row.dedup_key for row in rows] == ["older"]
    assert (in_c1, in_c2) == (2, 0)
