"""One Slack client policy: a repeat only where it is harmless; 429 waited out for any method."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.request import HttpRequest

from bot.slack.app import create_web_client
from bot.slack.clients import HARMLESS_REPEAT, MAX_RETRIES, NOT_REPEATED, UPLOAD, method_of
from bot.slack.ids import ActionId
from bot.slack.sender import create_sender_client
from bot.workspace import FakeSlack, Message
from bot.workspace.server import METHODS
from tests.slack.actions_kit import OPERATOR, RUNNING_JOB, admin_stack, channel_card, click, seen
from tests.slack.harness import WANG, Stack

DRAINED = 30.0


@pytest.fixture
async def stack(tmp_path: Path) -> AsyncIterator[Stack]:
    """The bot with an operator (U0007) who may stop jobs."""
    async with admin_stack(tmp_path) as running:
        await running.ask(f"role grant <@{OPERATOR}> operator", user="U0009")
        yield running


async def stop_on_the_card(stack: Stack) -> Message:
    """Click Stop on a channel card and wait until that click has been handled to the end."""
    message = await channel_card(stack, RUNNING_JOB)
    await click(stack, ActionId.STOP_JOB, message, user=OPERATOR)
    assert await stack.runtime.inflight.drained(DRAINED)
    return message


def thread_lines(stack: Stack, card: Message) -> list[str]:
    """What people read in the card's thread."""
    return [seen(m) for m in stack.slack.thread("C0001", card.ts) if m.ts != card.ts]


async def test_a_thread_line_whose_answer_was_lost_is_posted_once(stack: Stack) -> None:
    stack.slack.drop("chat.postMessage", after_accepting=True)

    card = await stop_on_the_card(stack)

    lines = thread_lines(stack, card)
    assert len(lines) == 1, lines
    assert f"<@{OPERATOR}>" in lines[0]
    assert "stopped" in lines[0]


async def test_a_thread_line_meeting_a_server_error_is_not_sent_again(stack: Stack) -> None:
    # Slack may have posted before its 5xx; a second post could be a second line.
    stack.slack.server_error("chat.postMessage", status=503)

    await stop_on_the_card(stack)

    assert len(stack.slack.calls_to("chat.postMessage")) == 1


async def test_a_rate_limited_thread_line_is_posted_once_after_the_wait(stack: Stack) -> None:
    stack.slack.rate_limit("chat.postMessage", retry_after=1)

    card = await stop_on_the_card(stack)

    assert len(thread_lines(stack, card)) == 1
    assert [c.error for c in stack.slack.calls_to("chat.postMessage")] == ["ratelimited", None]


async def test_a_card_edit_meeting_a_server_error_is_sent_again(stack: Stack) -> None:
    # chat.update with the same content leaves the same card however often it lands.
    stack.slack.server_error("chat.update")

    card = await stop_on_the_card(stack)

    [edited] = [m for m in stack.slack.messages("C0001") if m.ts == card.ts]
    assert edited.edits
    assert ActionId.STOP_JOB.value not in str(edited.blocks)
    assert [c.ok for c in stack.slack.calls_to("chat.update")] == [False, True]


async def test_a_read_meeting_a_server_error_is_asked_again(stack: Stack) -> None:
    stack.slack.server_error("users.info", status=503)

    answer = await stack.ask("help", user=WANG)

    assert "命令" in seen(answer)
    asked = [c for c in stack.slack.calls_to("users.info") if c.params.get("user") == WANG]
    assert len(asked) == 2


async def test_the_interactive_client_gives_up_on_a_long_retry_after(slack: FakeSlack) -> None:
    client = create_web_client(token=slack.token, api_url=slack.api_url)
    slack.rate_limit("users.info", retry_after=600)

    with pytest.raises(SlackApiError) as caught:
        await client.users_info(user="U0001")

    assert caught.value.response.status_code == 429
    assert len(slack.calls_to("users.info")) == 1


async def test_the_interactive_client_waits_out_429_a_bounded_number_of_times(
    slack: FakeSlack,
) -> None:
    client = create_web_client(token=slack.token, api_url=slack.api_url)
    slack.rate_limit("chat.postMessage", times=10, retry_after=0)

    with pytest.raises(SlackApiError):
        await client.chat_postMessage(channel="C0001", text="hello")

    assert len(slack.calls_to("chat.postMessage")) == 1 + MAX_RETRIES
    assert slack.messages("C0001") == []


async def test_the_senders_client_never_repeats_a_call(slack: FakeSlack) -> None:
    client = create_sender_client(token=slack.token, api_url=slack.api_url, timeout=5)
    slack.rate_limit("chat.postMessage")
    slack.drop("chat.postMessage", after_accepting=True)
    slack.server_error("chat.update")

    with pytest.raises(SlackApiError):
        await client.chat_postMessage(channel="C0001", text="hello")
    with pytest.raises(aiohttp.ClientError):
        await client.chat_postMessage(channel="C0001", text="hello")
    with pytest.raises(SlackApiError):
        await client.chat_update(channel="C0001", ts="1.000001", text="hello")

    assert [c.method for c in slack.calls] == [
        "chat.postMessage",
        "chat.postMessage",
        "chat.update",
    ]
    assert [m.text for m in slack.messages("C0001")] == ["hello"]


def test_every_method_the_bot_calls_is_decided_once() -> None:
    # The fake serves exactly the Web API surface the bot uses.
    assert set(METHODS) <= set(HARMLESS_REPEAT) | set(NOT_REPEATED)
    assert not set(HARMLESS_REPEAT) & set(NOT_REPEATED)


@pytest.mark.parametrize(
    ("url", "method"),
    [
        ("https://slack.com/api/chat.postMessage", "chat.postMessage"),
        ("http://127.0.0.1:8080/api/users.info?user=U1", "users.info"),
        ("https://files.slack.com/upload/v1/CwABAAAAXFYKA", UPLOAD),
    ],
)
def test_a_request_is_known_by_the_method_at_the_end_of_its_url(url: str, method: str) -> None:
    assert method_of(HttpRequest(method="POST", url=url, headers={})) == method
