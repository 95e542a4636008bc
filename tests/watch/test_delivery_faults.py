"""Every message once, in order, whatever Slack and the database do: the drain tick under faults.

Each test is a fault found in the field (issue 11), on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.store import OutboxState, Store, lease_of
from bot.store import leases as lease_ops
from bot.store.tables import OutboxRow
from bot.workspace import FakeSlack
from bot.workspace.methods_chat import post_message
from tests.watch.delivery_kit import CHANNEL, Rig, doubled
from tests.watch.helpers import all_keys


@pytest.fixture
async def rig(database_url: str, slack: FakeSlack) -> AsyncIterator[Rig]:
    """The drain tick and the Slack sender on the test's database, against a fake Slack."""
    store = Store.from_url(database_url)
    try:
        yield Rig(store, slack)
    finally:
        await store.dispose()


async def test_a_channels_messages_go_out_in_order_whatever_order_the_database_returns(
    rig: Rig,
) -> None:
    cards = [await rig.card(f"job-{i}") for i in range(8)]
    # Another replica claimed them and handed them back newest first. PostgreSQL's
    # UPDATE … RETURNING then hands the rows back in that physical order, not by id.
    async with rig.store.transaction() as uow:
        ttl = timedelta(seconds=30)
        rows = await uow.outbox.claim_due(owner="other", now=rig.clock(), ttl=ttl, limit=50)
    for row in sorted(rows, key=lambda r: r.id, reverse=True):
        async with rig.store.transaction() as uow:
            await lease_ops.release(uow.session, OutboxRow, row.id, lease_of(row), {})

    await rig.drain(lambda: len(all_keys(rig.slack)) == 8, deliverer=rig.deliverer(), ticks=3)

    assert all_keys(rig.slack) == [f"card:{card}" for card in cards]


async def test_an_in_doubt_post_is_not_posted_again_after_a_throttled_lookup(rig: Rig) -> None:
    rig.slack.drop("chat.postMessage", after_accepting=True)
    rig.slack.rate_limit("conversations.history", times=1, retry_after=1)
    card = await rig.card("job-a")

    await rig.drain_all(deliverer=rig.deliverer())

    assert all_keys(rig.slack) == [f"card:{card}"]
    state, attempts, _ = (await rig.outbox())[f"card:{card}"]
    assert (state, attempts) == (OutboxState.SENT, 3)  # the post, the throttled and the good lookup


async def test_a_lookup_that_keeps_failing_gives_the_message_up_and_the_channel_moves_on(
    rig: Rig,
) -> None:
    rig.slack.drop("chat.postMessage", after_accepting=True)
    rig.slack.server_error("conversations.history", times=100)
    first = await rig.card("job-a")
    second = await rig.card("job-b")

    await rig.drain_all(deliverer=rig.deliverer(max_attempts=3), ticks=12)

    outbox = await rig.outbox()
    assert outbox[f"card:{first}"][0] is OutboxState.DEAD
    assert "lookup" in (outbox[f"card:{first}"][2] or "")
    # The first post did land (only its answer was lost); it is never posted a second time.
    assert all_keys(rig.slack) == [f"card:{first}", f"card:{second}"]


async def test_an_in_doubt_message_whose_history_cannot_be_read_is_given_up_at_once(
    rig: Rig,
) -> None:
    # A direct message without im:history: the lookup can never succeed.
    rig.slack.drop("chat.postMessage", after_accepting=True)
    rig.slack.fail("conversations.history", "missing_scope", times=100)
    first = await rig.card("job-a")
    second = await rig.card("job-b")

    await rig.drain_all(deliverer=rig.deliverer(), ticks=6)

    state, attempts, error = (await rig.outbox())[f"card:{first}"]
    assert (state, attempts) == (OutboxState.DEAD, 2)
    assert "missing_scope" in (error or "")
    assert all_keys(rig.slack) == [f"card:{first}", f"card:{second}"]
    assert all("missing_scope" not in m.text for m in rig.slack.messages(CHANNEL))


async def test_a_replica_whose_lease_runs_out_mid_post_never_causes_a_second_post(
    rig: Rig,
) -> None:
    rig.settings.update(lease_seconds=6, slack_timeout=2)
    cards = [await rig.card(f"job-{i}") for i in range(4)]
    # Posts stay in flight a while before Slack stores them, so replica A starts its fourth
    # post 5 s into a 6 s lease, and that post lands at 6.9 s.
    for delay in (1.9, 1.9, 1.2, 1.9):
        rig.slack.slow("chat.postMessage", delay)
    first, second = rig.deliverer(), rig.deliverer()

    busy = asyncio.create_task(first.tick(rig.clock()))
    await rig.wait_for_claim(first)
    while not busy.done():
        await second.tick(rig.clock())
        await asyncio.sleep(0.05)
    await busy
    await rig.drain_all(deliverer=second)

    assert doubled(rig.slack) == []
    assert all_keys(rig.slack) == [f"card:{card}" for card in cards]


async def test_a_message_deep_in_a_busy_channel_is_found_and_not_posted_again(rig: Rig) -> None:
    rig.slack.drop("chat.postMessage", after_accepting=True)
    card = await rig.card("job-a")
    deliverer = rig.deliverer()
    await deliverer.tick(rig.clock())
    # People talk a lot meanwhile: the card sinks under 1,200 newer messages.
    for number in range(1200):
        post_message(rig.slack.workspace, {"channel": CHANNEL, "text": f"chatter {number}"})

    await rig.drain_all(deliverer=deliverer)

    assert all_keys(rig.slack) == [f"card:{card}"]


async def test_a_throttled_channel_hands_the_rest_back_and_goes_on_in_order_later(
    rig: Rig,
) -> None:
    cards = [await rig.card(f"job-{i}") for i in range(12)]
    rig.slack.rate_limit("chat.postMessage", times=1, retry_after=1)
    deliverer = rig.deliverer()

    await deliverer.tick(rig.clock())

    outbox = await rig.outbox()
    assert all_keys(rig.slack) == []
    assert all(attempts == 0 for _, attempts, _ in outbox.values())  # Slack did not act
    await rig.drain(lambda: len(all_keys(rig.slack)) == 12, deliverer=deliverer, ticks=4)
    assert all_keys(rig.slack) == [f"card:{card}" for card in cards]


async def test_the_pace_counts_from_when_slack_took_the_post_not_from_when_it_was_tried(
    rig: Rig,
) -> None:
    """A post that takes Slack 0.6 s to act on must not let the next land 0.4 s after it."""
    first, second = await rig.card("slow-1"), await rig.card("slow-2")
    rig.slack.slow("chat.postMessage", 0.6)
    deliverer = rig.deliverer(pace_seconds=1)
    for _ in range(40):  # bounded: about four seconds of ticks
        await deliverer.tick(rig.clock())
        if len(all_keys(rig.slack)) == 2:
            break
        await asyncio.sleep(0.1)
    assert all_keys(rig.slack) == [f"card:{first}", f"card:{second}"]
    landed = [call.at for call in rig.slack.calls_to("chat.postMessage")]
    assert landed[1] - landed[0] >= 0.99


async def test_a_busy_channel_keeps_its_pace_without_holding_back_another(rig: Rig) -> None:
    rig.slack.add_channel("C0002", "other")
    busy = [await rig.card(f"busy-{i}") for i in range(3)]
    quiet = await rig.card("quiet", channel="C0002")
    deliverer = rig.deliverer(pace_seconds=1)

    await deliverer.tick(rig.clock())

    # One tick posts once in each channel and sleeps for neither: the rest wait for the pace.
    assert all_keys(rig.slack) == [f"card:{busy[0]}"]
    assert all_keys(rig.slack, "C0002") == [f"card:{quiet}"]
    for _ in range(40):  # bounded: about four seconds of ticks
        await deliverer.tick(rig.clock())
        if len(all_keys(rig.slack)) == 3:
            break
        await asyncio.sleep(0.1)
    assert all_keys(rig.slack) == [f"card:{card}" for card in busy]
    posted = [
        call.at
        for call in rig.slack.calls_to("chat.postMessage")
        if call.params.get("channel") == CHANNEL
    ]
    assert all(later - earlier >= 0.99 for earlier, later in itertools.pairwise(posted))
