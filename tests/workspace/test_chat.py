"""chat.* and reading back through the real slack_sdk AsyncWebClient."""

from __future__ import annotations

import httpx
import pytest
from slack_sdk.errors import SlackApiError

from bot.workspace import FakeSlack
from tests.workspace.conftest import ClientFactory

LONG_HEADER = {"type": "plain_text", "text": "h" * 151}
CARD = [{"type": "section", "text": {"type": "mrkdwn", "text": "*job-1* Running"}}]


async def test_auth_test_describes_the_bot(client: ClientFactory) -> None:
    answer = await client().auth_test()
    assert (answer["team_id"], answer["user_id"], answer["bot_id"]) == ("T0001", "U0BOT", "B0BOT")
    assert answer["url"].startswith("https://")


@pytest.mark.parametrize(("token", "error"), [("xoxb-wrong", "invalid_auth"), ("", "not_authed")])
async def test_a_bad_token_is_refused(fake: FakeSlack, token: str, error: str) -> None:
    async with httpx.AsyncClient() as http:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        answer = await http.post(f"{fake.api_url}auth.test", headers=headers)
    assert answer.json() == {"ok": False, "error": error}
    assert fake.calls_to("auth.test")[0].error == error


async def test_posts_get_unique_increasing_ts_and_edits_keep_it(
    fake: FakeSlack, client: ClientFactory
) -> None:
    slack = client()
    first = await slack.chat_postMessage(channel="C0001", text="one", blocks=CARD)
    second = await slack.chat_postMessage(channel="#general", text="two")
    assert float(first["ts"]) < float(second["ts"])
    assert second["channel"] == "C0001"
    edited = await slack.chat_update(channel="C0001", ts=first["ts"], text="one, edited")
    assert edited["ts"] == first["ts"]
    shown = fake.messages("C0001")
    assert [(m.ts, m.text, m.edits) for m in shown] == [
        (first["ts"], "one, edited", 1),
        (second["ts"], "two", 0),
    ]
    assert shown[0].blocks == CARD


async def test_thread_replies_and_broadcasts(fake: FakeSlack, client: ClientFactory) -> None:
    slack = client()
    parent = await slack.chat_postMessage(channel="C0001", text="card")
    await slack.chat_postMessage(channel="C0001", text="reply", thread_ts=parent["ts"])
    await slack.chat_postMessage(
        channel="C0001", text="failed!", thread_ts=parent["ts"], reply_broadcast=True
    )
    assert [m.text for m in fake.thread("C0001", parent["ts"])] == ["reply", "failed!"]
    assert [m.text for m in fake.messages("C0001")] == ["card", "failed!"]
    replies = await slack.conversations_replies(channel="C0001", ts=parent["ts"])
    texts = [m["text"] for m in replies["messages"]]
    assert texts == ["card", "reply", "failed!"]
    assert replies["messages"][0]["reply_count"] == 2


async def test_a_reply_to_a_missing_thread_is_refused(client: ClientFactory) -> None:
    with pytest.raises(SlackApiError) as raised:
        await client().chat_postMessage(channel="C0001", text="x", thread_ts="1.000001")
    assert raised.value.response["error"] == "thread_not_found"


async def test_delete_hides_the_message(fake: FakeSlack, client: ClientFactory) -> None:
    slack = client()
    posted = await slack.chat_postMessage(channel="C0001", text="oops")
    await slack.chat_delete(channel="C0001", ts=posted["ts"])
    assert fake.messages("C0001") == []
    with pytest.raises(SlackApiError) as raised:
        await slack.chat_update(channel="C0001", ts=posted["ts"], text="again")
    assert raised.value.response["error"] == "message_not_found"


async def test_ephemerals_are_kept_per_user(fake: FakeSlack, client: ClientFactory) -> None:
    answer = await client().chat_postEphemeral(channel="C0001", user="U0001", text="only you")
    assert answer["message_ts"]
    assert [e.text for e in fake.ephemerals(user="U0001")] == ["only you"]
    assert fake.ephemerals(user="U0002") == []
    assert fake.messages("C0001") == []


@pytest.mark.parametrize(
    ("setup", "channel", "error"),
    [
        ("archive", "C0001", "is_archived"),
        ("kick", "C0001", "not_in_channel"),
        (None, "C9999", "channel_not_found"),
    ],
)
async def test_permanent_channel_errors(
    fake: FakeSlack, client: ClientFactory, setup: str | None, channel: str, error: str
) -> None:
    if setup == "archive":
        fake.archive("C0001")
    elif setup == "kick":
        fake.kick("C0001")
    with pytest.raises(SlackApiError) as raised:
        await client().chat_postMessage(channel=channel, text="hello")
    assert raised.value.response["error"] == error
    assert fake.calls_to("chat.postMessage")[0].error == error


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({}, "no_text"),
        ({"text": "x" * 40_001}, "msg_too_long"),
        ({"text": "t", "blocks": [{"type": "divider"}] * 51}, "invalid_blocks"),
        ({"text": "t", "blocks": [{"type": "header", "text": LONG_HEADER}]}, "invalid_blocks"),
        ({"text": "t", "blocks": [{"type": "sparkle"}]}, "invalid_blocks"),
    ],
)
async def test_messages_slack_would_refuse(
    fake: FakeSlack, client: ClientFactory, body: dict[str, object], error: str
) -> None:
    # api_call, not chat_postMessage: slack_sdk warns (an error here) when `text` is missing.
    with pytest.raises(SlackApiError) as raised:
        await client().api_call("chat.postMessage", json={"channel": "C0001", **body})
    assert raised.value.response["error"] == error
    assert fake.messages("C0001") == []


async def test_unknown_methods_are_named(client: ClientFactory) -> None:
    with pytest.raises(SlackApiError) as raised:
        await client().api_call("chat.scheduleMessage", json={"channel": "C0001"})
    assert raised.value.response["error"] == "unknown_method"


async def test_form_bodies_and_token_fields_are_accepted(fake: FakeSlack) -> None:
    """Callers other than slack_sdk may post forms with the token as a field, as Slack allows."""
    form = {
        "token": fake.token,
        "channel": "C0001",
        "text": "form",
        "blocks": '[{"type": "divider"}]',
    }
    async with httpx.AsyncClient() as http:
        answer = await http.post(f"{fake.api_url}chat.postMessage", data=form)
    assert answer.json()["ok"] is True
    assert fake.messages()[0].blocks == [{"type": "divider"}]
    assert "token" not in fake.calls[0].params


async def test_malformed_requests_get_slack_errors_not_500s(fake: FakeSlack) -> None:
    headers = {"Authorization": f"Bearer {fake.token}", "Content-Type": "application/json"}
    async with httpx.AsyncClient() as http:
        broken = await http.post(f"{fake.api_url}chat.postMessage", content=b"{", headers=headers)
        window = await http.get(
            f"{fake.api_url}conversations.history",
            params={"channel": "C0001", "oldest": "yesterday"},
            headers={"Authorization": f"Bearer {fake.token}"},
        )
    assert (broken.status_code, broken.json()["error"]) == (200, "invalid_json")
    assert window.json() == {"ok": False, "error": "invalid_ts_oldest"}
