"""Socket Mode in the fake, driven by slack_sdk's own aiohttp SocketModeClient."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.workspace import FakeSlack, block_actions_payload

ClientFactory = Callable[..., AsyncWebClient]
Seen = list[SocketModeRequest]


async def _answer(client: SocketModeClient, request: SocketModeRequest, seen: Seen) -> None:
    """Ack every envelope; slash commands get a visible payload back, as Bolt's `ack(text)`."""
    seen.append(request)
    payload = (
        {"text": f"got {request.payload['text']}"} if request.type == "slash_commands" else None
    )
    await client.send_socket_mode_response(SocketModeResponse(request.envelope_id, payload))


@pytest.fixture
async def connected(fake: FakeSlack) -> AsyncIterator[tuple[SocketModeClient, Seen]]:
    """A slack_sdk Socket Mode client connected to the fake, acking whatever arrives."""
    seen: Seen = []
    web = AsyncWebClient(base_url=fake.api_url)
    client = SocketModeClient(app_token=fake.app_token, web_client=web, ping_interval=1)

    async def listener(sm: SocketModeClient, request: SocketModeRequest) -> None:
        await _answer(sm, request, seen)

    client.socket_mode_request_listeners.append(listener)  # type: ignore[arg-type]
    try:
        await client.connect()  # type: ignore[no-untyped-call]
        await fake.wait_for(lambda: fake.socket_connections == 1, what="a Socket Mode connection")
        yield client, seen
    finally:
        await client.close()  # type: ignore[no-untyped-call]


async def test_connections_open_answers_a_websocket_url_for_the_app_token(
    fake: FakeSlack, client: ClientFactory
) -> None:
    response = await client().apps_connections_open(app_token=fake.app_token)
    assert str(response["url"]).startswith(fake.url.replace("http://", "ws://") + "socket/")
    assert [call.ok for call in fake.calls_to("apps.connections.open")] == [True]


async def test_connections_open_refuses_the_bot_token_and_unknown_tokens(
    fake: FakeSlack, client: ClientFactory
) -> None:
    with pytest.raises(SlackApiError) as wrong_kind:
        await client().apps_connections_open(app_token=fake.token)
    with pytest.raises(SlackApiError) as unknown:
        await client().apps_connections_open(app_token="xapp-1-nobody")
    assert wrong_kind.value.response["error"] == "not_allowed_token_type"
    assert unknown.value.response["error"] == "invalid_auth"


async def test_the_app_token_calls_no_other_method(fake: FakeSlack, client: ClientFactory) -> None:
    with pytest.raises(SlackApiError) as refused:
        await client(token=fake.app_token).auth_test()
    assert refused.value.response["error"] == "not_allowed_token_type"


async def test_a_slash_command_arrives_as_an_envelope_and_its_ack_comes_back(
    fake: FakeSlack, connected: tuple[SocketModeClient, Seen]
) -> None:
    _, seen = connected
    url = fake.response_url("K1", channel="C0001", user="U0001")
    ack = await fake.socket_command("pools", user="U0001", channel="C0001", response_url=url)
    assert ack == {"text": "got pools"}
    [request] = seen
    assert request.type == "slash_commands"
    assert request.accepts_response_payload is True
    assert request.payload["command"] == "/aihc"
    assert request.payload["response_url"] == url
    assert request.payload["user_id"] == "U0001"
    [envelope] = fake.socket_envelopes
    assert [a.envelope_id for a in fake.socket_acks] == [envelope.envelope_id]
    assert fake.socket_hellos == 1


async def test_interactions_and_events_are_acked_without_a_payload(
    fake: FakeSlack, connected: tuple[SocketModeClient, Seen]
) -> None:
    _, seen = connected
    payload = block_actions_payload("more", response_url=fake.response_url(), value="page-2")
    assert await fake.socket_interactive(payload) is None
    assert await fake.socket_event({"type": "app_mention", "text": "hi"}) is None
    assert [(r.type, r.accepts_response_payload) for r in seen] == [
        ("interactive", False),
        ("events_api", False),
    ]
    assert seen[0].payload["type"] == "block_actions"
    assert seen[1].payload["event"]["type"] == "app_mention"


async def test_a_disconnect_message_makes_the_client_reconnect_on_a_new_url(
    fake: FakeSlack, connected: tuple[SocketModeClient, Seen]
) -> None:
    await fake.socket_disconnect("refresh_requested")
    await fake.wait_for(
        lambda: fake.socket_hellos == 2 and fake.socket_connections == 1, what="a reconnection"
    )
    assert len(fake.calls_to("apps.connections.open")) == 2
    url = fake.response_url("K2")
    assert await fake.socket_command("after", user="U0001", response_url=url) == {
        "text": "got after"
    }


async def test_pushing_with_no_app_connected_says_so(fake: FakeSlack) -> None:
    with pytest.raises(RuntimeError, match="no app is connected"):
        await fake.socket_command("pools", user="U0001", response_url=fake.response_url())


async def test_an_envelope_nobody_acks_ends_in_a_bounded_wait(fake: FakeSlack) -> None:
    web = AsyncWebClient(base_url=fake.api_url)
    silent = SocketModeClient(app_token=fake.app_token, web_client=web, ping_interval=1)
    try:
        await silent.connect()  # type: ignore[no-untyped-call]
        await fake.wait_for(lambda: fake.socket_connections == 1, what="a connection")
        with pytest.raises(TimeoutError, match="no ack for slash_commands envelope"):
            await fake.socket_command(
                "pools", user="U0001", response_url=fake.response_url(), timeout=0.2
            )
    finally:
        await silent.close()  # type: ignore[no-untyped-call]
    assert fake.socket_acks == []


async def test_stopping_the_fake_closes_its_sockets() -> None:
    fake = await FakeSlack().start()
    web = AsyncWebClient(base_url=fake.api_url)
    client = SocketModeClient(app_token=fake.app_token, web_client=web, ping_interval=1)
    closes: list[int] = []

    async def on_close(message: object) -> None:
        closes.append(1)

    client.on_close_listeners.append(on_close)  # type: ignore[arg-type]
    client.auto_reconnect_enabled = client.default_auto_reconnect_enabled = False
    try:
        await client.connect()  # type: ignore[no-untyped-call]
        await fake.wait_for(lambda: fake.socket_connections == 1, what="a connection")
        await fake.stop()
        await fake.wait_for(lambda: closes, what="the client to see the close")
    finally:
        await client.close()  # type: ignore[no-untyped-call]
        await fake.stop()
    assert fake.socket_connections == 0
