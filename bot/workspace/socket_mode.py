"""Socket Mode in the fake: `apps.connections.open` and a WebSocket speaking Slack's protocol.

The app asks `apps.connections.open` (with its `xapp-` token) for a URL, connects, and is greeted
with `hello`. Slack then pushes envelopes `{envelope_id, type, payload, accepts_response_payload}`
(`slash_commands`, `interactive`, `events_api`); the app acks each with `{envelope_id, payload?}`.
A `disconnect` message asks the app to fetch a new URL and reconnect.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import secrets
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web

from bot.workspace.ids import APP_ID, DEFAULT_CHANNEL, TEAM_DOMAIN, TEAM_ID
from bot.workspace.model import JsonDict
from bot.workspace.payloads import trigger_id
from bot.workspace.state import Workspace

OPEN = "apps.connections.open"
SOCKET_PATH = "/socket/{ticket}"
ACK_TIMEOUT_SECONDS = 10.0
# Slack answers these interactions from the ack's payload (e.g. modal errors); not button clicks.
_RESPONDING_INTERACTIONS = frozenset({"view_submission", "block_suggestion"})


@dataclass(frozen=True, slots=True)
class Envelope:
    """One envelope the fake pushed over a Socket Mode connection."""

    envelope_id: str
    type: str
    payload: JsonDict
    accepts_response_payload: bool


@dataclass(frozen=True, slots=True)
class SocketAck:
    """One acknowledgement the app sent back: its envelope id and optional response payload."""

    envelope_id: str
    payload: JsonDict | None
    at: float


class SocketHub:
    """The Socket Mode side of the fake: tickets, open connections, envelopes and acks."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self._tickets: set[str] = set()
        self._open: list[web.WebSocketResponse] = []
        self._pending: dict[str, asyncio.Future[SocketAck]] = {}
        self._turns = itertools.count()
        self.envelopes: list[Envelope] = []
        self.acks: list[SocketAck] = []
        self.unreadable: list[str] = []
        self.hellos = 0

    @property
    def connected(self) -> int:
        """Return how many connections are open now."""
        return sum(1 for socket in self._open if not socket.closed)

    def connections_open(self, ws: Workspace, _params: JsonDict) -> JsonDict:
        """Mint a WebSocket URL for one connection, as `apps.connections.open` does."""
        ticket = secrets.token_hex(8)
        self._tickets.add(ticket)
        base = "ws" + ws.base_url.removeprefix("http")
        return {"url": f"{base}socket/{ticket}?app_id={APP_ID}"}

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Serve one Socket Mode connection: say hello, then read acks until it closes."""
        if request.match_info["ticket"] not in self._tickets:
            return web.Response(status=401, text="invalid_ticket")
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        self._open.append(socket)
        self.hellos += 1
        await socket.send_json(_hello(self.connected))
        try:
            async for message in socket:
                if message.type == WSMsgType.TEXT:
                    self._on_text(str(message.data))
        finally:
            self._open.remove(socket)
        return socket

    def _on_text(self, data: str) -> None:
        try:
            body = json.loads(data)
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("envelope_id"), str):
            self.unreadable.append(data)
            return
        payload = body.get("payload")
        payload = payload if isinstance(payload, dict) else None
        ack = SocketAck(body["envelope_id"], payload, self._workspace.clock())
        self.acks.append(ack)
        future = self._pending.pop(ack.envelope_id, None)
        if future is not None and not future.done():
            future.set_result(ack)

    async def push(
        self,
        kind: str,
        payload: JsonDict,
        *,
        accepts_response_payload: bool,
        # A bound on the wait, reported with the envelope's id; not a timed assertion.
        timeout: float = ACK_TIMEOUT_SECONDS,  # noqa: ASYNC109
    ) -> SocketAck:
        """Send one envelope to one open connection and return the app's ack."""
        socket = self._next_socket()
        envelope = Envelope(str(uuid.uuid4()), kind, payload, accepts_response_payload)
        future: asyncio.Future[SocketAck] = asyncio.get_running_loop().create_future()
        self._pending[envelope.envelope_id] = future
        self.envelopes.append(envelope)
        try:
            await socket.send_json(
                {
                    "envelope_id": envelope.envelope_id,
                    "type": kind,
                    "payload": payload,
                    "accepts_response_payload": accepts_response_payload,
                }
            )
            async with asyncio.timeout(timeout):
                return await future
        except TimeoutError:
            raise TimeoutError(
                f"no ack for {kind} envelope {envelope.envelope_id} within {timeout}s"
            ) from None
        finally:
            self._pending.pop(envelope.envelope_id, None)

    def _next_socket(self) -> web.WebSocketResponse:
        """Pick an open connection in turn: Slack sends each payload to one of them."""
        live = [socket for socket in self._open if not socket.closed]
        if not live:
            raise RuntimeError("no app is connected over Socket Mode")
        return live[next(self._turns) % len(live)]

    async def disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask every connected app to reconnect, as Slack does before it drops a connection."""
        message = {"type": "disconnect", "reason": reason, "debug_info": {"host": "fake-applink"}}
        for socket in [s for s in self._open if not s.closed]:
            await socket.send_json(message)

    async def close_all(self, _app: web.Application | None = None) -> None:
        """Close every connection (the server is going away)."""
        for socket in list(self._open):
            await socket.close(code=WSCloseCode.GOING_AWAY, message=b"server shutdown")


def _hello(connections: int) -> JsonDict:
    return {
        "type": "hello",
        "num_connections": connections,
        "debug_info": {
            "host": "fake-applink",
            "build_number": 1,
            "approximate_connection_time": 18060,
        },
        "connection_info": {"app_id": APP_ID},
    }


def slash_command_payload(
    text: str, *, user: str, channel: str, response_url: str, command: str = "/aihc"
) -> JsonDict:
    """Build a slash command as Socket Mode carries it: the HTTP form fields as a JSON object."""
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "team_domain": TEAM_DOMAIN,
        "channel_id": channel,
        "channel_name": channel.lower(),
        "user_id": user,
        "user_name": user.lower(),
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id(),
    }


class SocketModeMixin:
    """FakeSlack's Socket Mode methods: push commands, interactions and events; see the acks."""

    _socket_hub: SocketHub

    async def socket_command(
        self,
        text: str,
        *,
        user: str,
        channel: str = DEFAULT_CHANNEL,
        response_url: str,
        command: str = "/aihc",
        timeout: float = ACK_TIMEOUT_SECONDS,  # noqa: ASYNC109
    ) -> JsonDict | None:
        """Push a slash command to the connected app; return its ack's payload (None if bare)."""
        payload = slash_command_payload(
            text, user=user, channel=channel, response_url=response_url, command=command
        )
        ack = await self._socket_hub.push(
            "slash_commands", payload, accepts_response_payload=True, timeout=timeout
        )
        return ack.payload

    async def socket_interactive(
        self,
        payload: Mapping[str, Any],
        *,
        timeout: float = ACK_TIMEOUT_SECONDS,  # noqa: ASYNC109
    ) -> JsonDict | None:
        """Push an interaction (`block_actions`, `view_submission`…); return its ack's payload."""
        accepts = payload.get("type") in _RESPONDING_INTERACTIONS
        ack = await self._socket_hub.push(
            "interactive", dict(payload), accepts_response_payload=accepts, timeout=timeout
        )
        return ack.payload

    async def socket_event(
        self,
        event: Mapping[str, Any],
        *,
        timeout: float = ACK_TIMEOUT_SECONDS,  # noqa: ASYNC109
    ) -> JsonDict | None:
        """Push an Events API `event_callback` wrapping `event`; return its ack's payload."""
        payload = {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "api_app_id": APP_ID,
            "type": "event_callback",
            "event_id": f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(time.time()),
            "event": dict(event),
        }
        ack = await self._socket_hub.push(
            "events_api", payload, accepts_response_payload=False, timeout=timeout
        )
        return ack.payload

    async def socket_disconnect(self, reason: str = "refresh_requested") -> None:
        """Send `disconnect` to every connected app; slack_sdk then reconnects on a new URL."""
        await self._socket_hub.disconnect(reason)

    @property
    def socket_connections(self) -> int:
        """Return how many Socket Mode connections are open now."""
        return self._socket_hub.connected

    @property
    def socket_hellos(self) -> int:
        """Return how many connections were greeted with `hello` so far."""
        return self._socket_hub.hellos

    @property
    def socket_envelopes(self) -> list[Envelope]:
        """Return every envelope pushed, in order."""
        return self._socket_hub.envelopes

    @property
    def socket_acks(self) -> list[SocketAck]:
        """Return every ack received, in order (malformed messages are in `unreadable`)."""
        return self._socket_hub.acks
