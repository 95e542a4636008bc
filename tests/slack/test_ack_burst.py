"""A burst of commands is acknowledged first: Slack waits 3 s for each ack, the work can wait.

The requests go straight to the Bolt app, all in one loop turn (as a burst reaches the bot's one
event loop), so what is asserted is the order things happen in, never a time.
"""

from __future__ import annotations

import asyncio
import time
from urllib.parse import urlencode

from slack_bolt.request.async_request import AsyncBoltRequest

from bot.workspace import FakeSlack
from bot.workspace.ids import APP_ID, TEAM_DOMAIN, TEAM_ID
from bot.workspace.signing import signature
from tests.slack.harness import SIGNING_SECRET, Stack


def signed_command(slack: FakeSlack, text: str, user: str, key: str) -> AsyncBoltRequest:
    """Return `/aihc text` from `user` as Bolt receives it from Slack, signed."""
    body = urlencode({
        "token": "legacy", "team_id": TEAM_ID, "team_domain": TEAM_DOMAIN, "channel_id": "C0001",
        "channel_name": "general", "user_id": user, "user_name": user.lower(),
        "command": "/aihc", "text": text, "api_app_id": APP_ID,
        "is_enterprise_install": "false", "trigger_id": f"1.{key}",
        "response_url": slack.response_url(key, user=user),
    })  # fmt: skip
    now = int(time.time())
    headers = {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": str(now),
        "x-slack-signature": signature(SIGNING_SECRET, body.encode(), now),
    }
    return AsyncBoltRequest(body=body, headers=headers)


async def burst(stack: Stack, count: int, prefix: str) -> list[int]:
    """Dispatch `count` commands from as many new people at once; return the HTTP statuses."""
    app = stack.runtime.slack_app
    requests = [
        signed_command(stack.slack, "help", f"U{prefix}{i:03d}", f"{prefix}{i}")
        for i in range(count)
    ]
    answers = await asyncio.gather(*(app.async_dispatch(r) for r in requests))
    return [answer.status for answer in answers]


async def test_every_ack_of_a_burst_is_out_before_the_work_of_any_command_begins(
    stack: Stack,
) -> None:
    await stack.ask("help")  # the bot has met Slack once (who it is) before the burst
    before = len(stack.slack.calls)

    statuses = await burst(stack, 15, "A")

    assert statuses == [200] * 15
    # Each command's work starts by asking Slack the person's language; none has yet.
    assert [call.method for call in stack.slack.calls[before:]] == []
    await stack.slack.wait_for(
        lambda: all(stack.slack.responses(f"A{i}") for i in range(15)), timeout=30,
        what="every answer",
    )  # fmt: skip


async def test_a_burst_on_a_bot_just_started_asks_slack_who_it_is_once(stack: Stack) -> None:
    statuses = await burst(stack, 15, "B")

    assert statuses == [200] * 15
    assert len(stack.slack.calls_to("auth.test")) == 1
    await stack.slack.wait_for(
        lambda: all(stack.slack.responses(f"B{i}") for i in range(15)), timeout=30,
        what="every answer",
    )  # fmt: skip
