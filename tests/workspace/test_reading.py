"""History, replies, metadata, users, channels: what the bot reads back."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError

from bot.workspace import FakeSlack
from tests.workspace.conftest import ClientFactory

METADATA = {"event_type": "aihc_notice", "event_payload": {"dedup": "job-1:Failed:3"}}


async def test_metadata_round_trips_only_when_asked(client: ClientFactory) -> None:
    slack = client()
    await slack.chat_postMessage(channel="C0001", text="card", metadata=METADATA)
    plain = await slack.conversations_history(channel="C0001")
    assert "metadata" not in plain["messages"][0]
    rich = await slack.conversations_history(channel="C0001", include_all_metadata=True)
    assert rich["messages"][0]["metadata"] == METADATA


async def test_metadata_in_thread_replies(client: ClientFactory) -> None:
    slack = client()
    parent = await slack.chat_postMessage(channel="C0001", text="card")
    await slack.chat_postMessage(
        channel="C0001", text="Failed", thread_ts=parent["ts"], metadata=METADATA
    )
    thread = await slack.conversations_replies(
        channel="C0001", ts=parent["ts"], include_all_metadata=True
    )
    assert [m.get("metadata") for m in thread["messages"]] == [None, METADATA]


async def test_malformed_metadata_is_refused(client: ClientFactory) -> None:
    with pytest.raises(SlackApiError) as raised:
        await client().chat_postMessage(channel="C0001", text="x", metadata={"event_payload": {}})
    assert raised.value.response["error"] == "invalid_metadata_format"


async def test_history_is_newest_first_and_pages_with_cursors(client: ClientFactory) -> None:
    slack = client()
    posted = [(await slack.chat_postMessage(channel="C0001", text=f"m{i}"))["ts"] for i in range(7)]
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        page = await slack.conversations_history(channel="C0001", limit=3, cursor=cursor)
        seen += [m["ts"] for m in page["messages"]]
        cursor = page["response_metadata"]["next_cursor"]
        assert page["has_more"] is bool(cursor)
        if not cursor:
            break
    assert seen == list(reversed(posted))


async def test_history_window_is_exclusive_unless_inclusive(client: ClientFactory) -> None:
    slack = client()
    ts = [(await slack.chat_postMessage(channel="C0001", text=f"m{i}"))["ts"] for i in range(4)]
    inside = await slack.conversations_history(channel="C0001", oldest=ts[0], latest=ts[3])
    assert [m["ts"] for m in inside["messages"]] == [ts[2], ts[1]]
    closed = await slack.conversations_history(
        channel="C0001", oldest=ts[0], latest=ts[3], inclusive=True
    )
    assert len(closed["messages"]) == 4


async def test_a_bad_cursor_is_refused(client: ClientFactory) -> None:
    with pytest.raises(SlackApiError) as raised:
        await client().conversations_history(channel="C0001", cursor="not-a-cursor")
    assert raised.value.response["error"] == "invalid_cursor"


async def test_history_is_closed_to_a_removed_bot(fake: FakeSlack, client: ClientFactory) -> None:
    fake.kick("C0001")
    with pytest.raises(SlackApiError) as raised:
        await client().conversations_history(channel="C0001")
    assert raised.value.response["error"] == "not_in_channel"
    info = await client().conversations_info(channel="C0001")
    assert info["channel"]["is_member"] is False


async def test_conversations_info_shows_archival(fake: FakeSlack, client: ClientFactory) -> None:
    fake.add_channel("C0002", "ml-train")
    fake.archive("C0002")
    info = await client().conversations_info(channel="C0002")
    assert (info["channel"]["name"], info["channel"]["is_archived"]) == ("ml-train", True)


async def test_users_info_gives_locale_only_when_asked(
    fake: FakeSlack, client: ClientFactory
) -> None:
    fake.add_user("U0042", "wang", locale="zh-CN", tz="Asia/Shanghai", real_name="Wang Wei")
    slack = client()
    plain = await slack.users_info(user="U0042")
    assert "locale" not in plain["user"]
    full = await slack.users_info(user="U0042", include_locale=True)
    assert full["user"]["locale"] == "zh-CN"
    assert (full["user"]["tz"], full["user"]["real_name"]) == ("Asia/Shanghai", "Wang Wei")


async def test_unknown_users_are_not_found(client: ClientFactory) -> None:
    with pytest.raises(SlackApiError) as raised:
        await client().users_info(user="U9999")
    assert raised.value.response["error"] == "user_not_found"


async def test_conversations_open_gives_a_direct_channel_the_bot_can_post_to() -> None:
    from slack_sdk.web.async_client import AsyncWebClient

    async with FakeSlack() as fake:
        client = AsyncWebClient(token=fake.token, base_url=fake.api_url)
        opened = await client.conversations_open(users="U0001")
        again = await client.conversations_open(users="U0001")
        assert opened["channel"]["id"] == again["channel"]["id"]
        await client.chat_postMessage(channel=opened["channel"]["id"], text="hi")
        assert [m.text for m in fake.messages(opened["channel"]["id"])] == ["hi"]
        with pytest.raises(SlackApiError, match="user_not_found"):
            await client.conversations_open(users="U9999")
