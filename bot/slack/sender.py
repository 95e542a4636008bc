"""The Slack side of the watcher's `ChatSender`: post, edit and find messages by dedup key.

The Web API client here has no retry handlers: slack_sdk's default retries a lost connection,
which would silently post a message twice. The outbox retries instead, after looking in the
channel for the message's dedup key (carried in its metadata).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.clients import Retries, create_client
from bot.slack.i18n import Lang
from bot.slack.render import fallback_text
from bot.slack.render.notify import notice_blocks
from bot.watch.ports import (
    ChatChannelGone,
    ChatError,
    ChatRateLimited,
    ChatRejected,
    ChatUnknownOutcome,
    Outgoing,
)

EVENT_TYPE = "aihc_bot_notice"
CHANNEL_GONE = frozenset(
    {"channel_not_found", "not_in_channel", "is_archived", "channel_is_archived"}
)
REJECTED = frozenset(
    {
        "invalid_blocks",
        "invalid_blocks_format",
        "msg_too_long",
        "no_text",
        "invalid_metadata_format",
        "invalid_metadata_schema",
        "message_not_found",
        "cant_update_message",
        "edit_window_closed",
        "too_many_attachments",
    }
)
HISTORY_LIMIT = 200
HISTORY_PAGES = 5
CLOCK_SKEW = 600.0


def create_sender_client(*, token: str, api_url: str, timeout: float = 10.0) -> AsyncWebClient:
    """Build a Web API client that never retries by itself (see the module docstring)."""
    return create_client(token=token, api_url=api_url, timeout=timeout, retries=Retries.NONE)


class SlackChatSender:
    """Render outbox payloads and send them with `chat.postMessage` and `chat.update`."""

    def __init__(
        self, client: AsyncWebClient, *, lang: Lang, clock: Callable[[], datetime]
    ) -> None:
        self._client = client
        self._lang = lang
        self._clock = clock

    def _render(self, message: Outgoing) -> tuple[list[dict[str, Any]], str]:
        blocks = notice_blocks(message.kind, message.payload, now=self._clock(), lang=self._lang)
        return blocks, fallback_text(blocks)

    async def post(self, message: Outgoing) -> str:
        """Post the message with its dedup key in metadata; return its `ts`."""
        blocks, text = self._render(message)
        args: dict[str, Any] = {
            "channel": message.channel_id,
            "text": text,
            "blocks": blocks,
            "metadata": {"event_type": EVENT_TYPE, "event_payload": {"key": message.dedup_key}},
            "unfurl_links": False,
            "unfurl_media": False,
        }
        if message.thread_ts:
            args["thread_ts"] = message.thread_ts
            args["reply_broadcast"] = message.broadcast
        response = await _call(self._client.chat_postMessage, args)
        return str(response.get("ts") or "")

    async def update(self, message: Outgoing, ts: str) -> None:
        """Replace the card `ts` with the message's content."""
        blocks, text = self._render(message)
        args = {"channel": message.channel_id, "ts": ts, "text": text, "blocks": blocks}
        await _call(self._client.chat_update, args)

    async def find(
        self,
        channel_id: str,
        thread_ts: str | None,
        dedup_key: str,
        *,
        since: datetime | None = None,
    ) -> str | None:
        """Look for a bot message carrying `dedup_key` in the thread, or in the channel."""
        args: dict[str, Any] = {
            "channel": channel_id,
            "limit": HISTORY_LIMIT,
            "include_all_metadata": True,
        }
        if since is not None:
            # Only what came after the attempt began (with room for clock skew) needs looking at.
            args["oldest"] = f"{since.timestamp() - CLOCK_SKEW:.6f}"
        method: Callable[..., Any] = self._client.conversations_history
        if thread_ts:
            args["ts"] = thread_ts
            method = self._client.conversations_replies
        for _ in range(HISTORY_PAGES):
            response = await _call(method, args)
            for item in response.get("messages") or []:
                if _key_of(item) == dedup_key:
                    return str(item.get("ts"))
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None
            args["cursor"] = cursor
        return None


def _key_of(message: Mapping[str, Any]) -> str | None:
    metadata = message.get("metadata") or {}
    if metadata.get("event_type") != EVENT_TYPE:
        return None
    key = (metadata.get("event_payload") or {}).get("key")
    return str(key) if key else None


async def _call(method: Callable[..., Any], args: Mapping[str, Any]) -> Any:
    """Call one Web API method and turn every failure into a `ChatError`."""
    try:
        return await method(**args)
    except SlackApiError as error:
        raise _classify(error) from None
    except (aiohttp.ClientError, TimeoutError) as error:
        raise ChatUnknownOutcome(type(error).__name__) from None
    except ValueError as error:  # a body that is not Slack's JSON (a proxy's error page)
        raise ChatUnknownOutcome(type(error).__name__) from None


def _classify(error: SlackApiError) -> ChatError:
    response = error.response
    status = int(getattr(response, "status_code", 0) or 0)
    code = str(response.get("error") or "") if response is not None else ""
    if status == 429 or code == "ratelimited":
        headers = getattr(response, "headers", {}) or {}
        raw = headers.get("Retry-After") or headers.get("retry-after") or "1"
        try:
            return ChatRateLimited(max(float(raw), 0.5))
        except ValueError:
            return ChatRateLimited(1.0)
    if code in CHANNEL_GONE:
        return ChatChannelGone(code)
    if code in REJECTED:
        return ChatRejected(code)
    return ChatUnknownOutcome(code or f"http {status}")
