"""`SlackSender`: post what Slack posts to an app's `/slack/events`, signed (or tampered with)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping
from enum import StrEnum
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlencode

import httpx

from bot.workspace.ids import APP_ID, DEFAULT_CHANNEL, TEAM_DOMAIN, TEAM_ID
from bot.workspace.payloads import trigger_id as new_trigger_id

STALE_SECONDS = 6 * 60  # Bolt refuses timestamps more than 5 minutes away.


class Tamper(StrEnum):
    """How to spoil a request's signature, to check that the app refuses it."""

    NONE = "none"
    FORGED = "forged"  # signed, but with the wrong secret
    UNSIGNED = "unsigned"  # no signature headers at all
    STALE = "stale"  # correctly signed, six minutes old
    ALTERED = "altered"  # signed, then the body changed on the way


def signature(secret: str, body: bytes, timestamp: int) -> str:
    """Return Slack's `v0=` signature of a raw body at a timestamp."""
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class SlackSender:
    """Send signed slash commands and interactions to an app, over httpx."""

    def __init__(
        self,
        events_url: str,
        signing_secret: str,
        *,
        clock: Callable[[], float] = time.time,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.events_url = events_url
        self._secret = signing_secret
        self._clock = clock
        self._http = httpx.AsyncClient(timeout=timeout, transport=transport)

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def sign(self, body: bytes, timestamp: int) -> dict[str, str]:
        """Return the two headers Slack adds to a request body."""
        return {
            "X-Slack-Request-Timestamp": str(timestamp),
            "X-Slack-Signature": signature(self._secret, body, timestamp),
        }

    def _headers(self, body: bytes, tamper: Tamper) -> tuple[dict[str, str], bytes]:
        now = int(self._clock())
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if tamper is Tamper.UNSIGNED:
            return headers, body
        if tamper is Tamper.FORGED:
            forged = signature(self._secret + "-forged", body, now)
            headers.update({"X-Slack-Request-Timestamp": str(now), "X-Slack-Signature": forged})
            return headers, body
        stamp = now - STALE_SECONDS if tamper is Tamper.STALE else now
        headers.update(self.sign(body, stamp))
        return headers, body + b"&x=1" if tamper is Tamper.ALTERED else body

    async def post_form(
        self, fields: Mapping[str, str], *, tamper: Tamper = Tamper.NONE
    ) -> httpx.Response:
        """POST form-encoded fields to the app, signed unless `tamper` says otherwise."""
        body = urlencode(fields).encode()
        headers, sent = self._headers(body, tamper)
        return await self._http.post(self.events_url, content=sent, headers=headers)

    async def slash_command(
        self,
        text: str,
        *,
        user_id: str,
        channel_id: str = DEFAULT_CHANNEL,
        team_id: str = TEAM_ID,
        response_url: str,
        trigger_id: str | None = None,
        command: str = "/aihc",
        channel_name: str | None = None,
        user_name: str | None = None,
        tamper: Tamper = Tamper.NONE,
    ) -> httpx.Response:
        """Send a slash command the way Slack does (form fields of SLACK-NOTES)."""
        fields = {
            "token": "legacy-verification-token",
            "team_id": team_id,
            "team_domain": TEAM_DOMAIN,
            "channel_id": channel_id,
            "channel_name": channel_name or channel_id.lower(),
            "user_id": user_id,
            "user_name": user_name or user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id or new_trigger_id(),
        }
        return await self.post_form(fields, tamper=tamper)

    async def block_actions(
        self, payload: Mapping[str, Any], *, tamper: Tamper = Tamper.NONE
    ) -> httpx.Response:
        """Send a `block_actions` interaction (see `payloads.block_actions_payload`)."""
        return await self._interaction(payload, "block_actions", tamper)

    async def view_submission(
        self, payload: Mapping[str, Any], *, tamper: Tamper = Tamper.NONE
    ) -> httpx.Response:
        """Send a `view_submission` interaction (see `payloads.view_submission_payload`)."""
        return await self._interaction(payload, "view_submission", tamper)

    async def event(
        self, payload: Mapping[str, Any], *, tamper: Tamper = Tamper.NONE
    ) -> httpx.Response:
        """Deliver an Events API `event_callback` as JSON (see `payloads.home_opened_payload`)."""
        if payload.get("type") != "event_callback":
            raise ValueError(f"payload type is {payload.get('type')!r}, expected 'event_callback'")
        headers, sent = self._headers(json.dumps(payload).encode(), tamper)
        headers["Content-Type"] = "application/json"
        return await self._http.post(self.events_url, content=sent, headers=headers)

    async def _interaction(
        self, payload: Mapping[str, Any], kind: str, tamper: Tamper
    ) -> httpx.Response:
        if payload.get("type") != kind:
            raise ValueError(f"payload type is {payload.get('type')!r}, expected {kind!r}")
        return await self.post_form({"payload": json.dumps(payload)}, tamper=tamper)
