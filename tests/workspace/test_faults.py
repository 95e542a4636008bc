"""Scripted faults as slack_sdk sees them: 429s, errors, lost connections, pacing."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.workspace import FakeSlack
from tests.workspace.conftest import ClientFactory, ManualClock

METADATA = {"event_type": "aihc_notice", "event_payload": {"dedup": "k1"}}


async def test_rate_limit_answers_429_with_retry_after(
    fake: FakeSlack, client: ClientFactory
) -> None:
    fake.rate_limit("chat.postMessage", retry_after=7)
    with pytest.raises(SlackApiError) as raised:
        await client(retry_handlers=[]).chat_postMessage(channel="C0001", text="x")
    response = raised.value.response
    assert (response.status_code, response["error"]) == (429, "ratelimited")
    assert response.headers["Retry-After"] == "7"
    assert fake.messages() == []


async def test_the_rate_limit_retry_handler_honours_retry_after(
    fake: FakeSlack, client: ClientFactory
) -> None:
    fake.rate_limit("chat.postMessage", retry_after=0)
    slack = client(retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=2)])
    await slack.chat_postMessage(channel="C0001", text="after a 429")
    assert [(c.ok, c.error) for c in fake.calls_to("chat.postMessage")] == [
        (False, "ratelimited"),
        (True, None),
    ]
    assert [m.text for m in fake.messages()] == ["after a 429"]


async def test_fail_answers_an_error_for_the_next_calls(
    fake: FakeSlack, client: ClientFactory
) -> None:
    fake.fail("chat.update", "account_inactive", times=2)
    slack = client()
    posted = await slack.chat_postMessage(channel="C0001", text="v1")
    for _ in range(2):
        with pytest.raises(SlackApiError) as raised:
            await slack.chat_update(channel="C0001", ts=posted["ts"], text="v2")
        assert raised.value.response["error"] == "account_inactive"
    await slack.chat_update(channel="C0001", ts=posted["ts"], text="v2")
    assert fake.messages()[0].text == "v2"


async def test_faults_are_consumed_in_the_order_queued(
    fake: FakeSlack, client: ClientFactory
) -> None:
    fake.rate_limit("chat.postMessage", retry_after=3)
    fake.fail("chat.postMessage", "fatal_error")
    slack = client(retry_handlers=[])
    errors = []
    for _ in range(3):
        try:
            await slack.chat_postMessage(channel="C0001", text="x")
            errors.append(None)
        except SlackApiError as error:
            errors.append(error.response["error"])
    assert errors == ["ratelimited", "fatal_error", None]
    assert fake.plan.pending() == 0


async def test_a_drop_before_acting_stores_nothing(fake: FakeSlack, client: ClientFactory) -> None:
    fake.drop("chat.postMessage")
    with pytest.raises(aiohttp.ClientError):
        await client(retry_handlers=[]).chat_postMessage(channel="C0001", text="lost")
    assert fake.messages() == []
    assert fake.calls_to("chat.postMessage")[0].error == "dropped_before_acting"


async def test_a_drop_after_accepting_leaves_the_post_in_history(
    fake: FakeSlack, client: ClientFactory
) -> None:
    fake.drop("chat.postMessage", after_accepting=True)
    slack = client(retry_handlers=[])
    with pytest.raises(aiohttp.ClientError):
        await slack.chat_postMessage(channel="C0001", text="accepted", metadata=METADATA)
    history = await slack.conversations_history(channel="C0001", include_all_metadata=True)
    assert [m["metadata"] for m in history["messages"]] == [METADATA]
    (call,) = fake.calls_to("chat.postMessage")
    assert (call.ok, call.error) == (True, "dropped_after_acting")


async def test_slack_sdk_retries_a_lost_answer_by_default_and_duplicates_the_post(
    fake: FakeSlack, client: ClientFactory
) -> None:
    """slack_sdk's default handler retries connection errors once: a lost answer means two posts."""
    fake.drop("chat.postMessage", after_accepting=True)
    await client().chat_postMessage(channel="C0001", text="twice")
    assert [m.text for m in fake.messages()] == ["twice", "twice"]


async def test_drops_apply_to_uploads_too(fake: FakeSlack, client: ClientFactory) -> None:
    fake.drop("upload")
    await client().files_upload_v2(channel="C0001", content="log", filename="log.txt")
    assert [f.content for f in fake.files()] == [b"log"]
    assert [c.error for c in fake.calls_to("upload")] == ["dropped_before_acting", None]


@pytest.fixture
async def paced() -> AsyncIterator[tuple[FakeSlack, ManualClock]]:
    """A fake that allows one chat.postMessage per second per channel, on a manual clock."""
    clock = ManualClock()
    async with FakeSlack(clock=clock, pace_seconds=1.0, channels=["C0001", "C0002"]) as fake:
        yield fake, clock


async def test_pacing_limits_posts_per_channel(paced: tuple[FakeSlack, ManualClock]) -> None:
    fake, clock = paced
    slack = AsyncWebClient(base_url=fake.api_url, token=fake.token, retry_handlers=[])
    await slack.chat_postMessage(channel="C0001", text="first")
    with pytest.raises(SlackApiError) as raised:
        await slack.chat_postMessage(channel="C0001", text="too soon")
    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "1"
    await slack.chat_postMessage(channel="C0002", text="another channel")
    clock.advance(1.0)
    await slack.chat_postMessage(channel="C0001", text="later")
    assert [m.text for m in fake.messages("C0001")] == ["first", "later"]


async def test_wait_for_returns_the_first_truthy_value(
    fake: FakeSlack, client: ClientFactory
) -> None:
    async def post_soon() -> None:
        await asyncio.sleep(0)
        await client().chat_postMessage(channel="C0001", text="arrived")

    task = asyncio.create_task(post_soon())
    messages = await fake.wait_for(lambda: fake.messages("C0001"), timeout=5)
    await task
    assert messages[0].text == "arrived"


async def test_wait_for_explains_a_timeout(fake: FakeSlack, client: ClientFactory) -> None:
    await client().auth_test()
    with pytest.raises(TimeoutError, match=r"a card(.|\n)*auth\.test ok=True"):
        await fake.wait_for(lambda: fake.messages("C0001"), timeout=0.05, what="a card")


async def test_server_errors_are_retried_by_the_server_error_handler(
    fake: FakeSlack, client: ClientFactory
) -> None:
    fake.server_error("chat.postMessage", status=503)
    with pytest.raises(SlackApiError) as raised:
        await client(retry_handlers=[]).chat_postMessage(channel="C0001", text="x")
    assert raised.value.response.status_code == 503
    fake.server_error("chat.postMessage")
    retrying = client(retry_handlers=[AsyncServerErrorRetryHandler(max_retry_count=1)])
    await retrying.chat_postMessage(channel="C0001", text="second try")
    assert [m.text for m in fake.messages()] == ["second try"]


async def chaos_outcomes(seed: int) -> list[str | None]:
    """Post 30 times into a chaotic fake; return each recorded call's error."""
    async with FakeSlack() as fake:
        fake.chaos(
            "chat.postMessage",
            seed=seed,
            rate_limit=0.2,
            drop_after=0.2,
            server_error=0.1,
            budget=8,
        )
        slack = AsyncWebClient(base_url=fake.api_url, token=fake.token, retry_handlers=[])
        for i in range(30):
            with contextlib.suppress(SlackApiError, aiohttp.ClientError):
                await slack.chat_postMessage(channel="C0001", text=f"m{i}")
        return [call.error for call in fake.calls]


async def test_chaos_is_seeded_and_bounded_by_its_budget() -> None:
    first, again = await chaos_outcomes(3), await chaos_outcomes(3)
    assert first == again
    faults = [error for error in first if error is not None]
    assert len(faults) == 8
    assert {"ratelimited", "dropped_after_acting", "internal_error"} >= set(faults)
    assert first[-5:] == [None] * 5


async def test_chaos_odds_must_make_sense(fake: FakeSlack) -> None:
    with pytest.raises(ValueError, match="sum to at most 1"):
        fake.chaos("chat.postMessage", rate_limit=0.7, drop_after=0.6)
