"""The Slack side of the watcher's `ChatSender`: post, edit and find messages by dedup key.

The Web API client here has no retry handlers: slack_sdk's default retries a lost connection,
which would silently post a message twice. The outbox retries instead, after looking in the
channel for the message's dedup key (carried in its metadata). That lookup pages back through
everything posted since the attempt began, however busy the channel, within a time budget; a
lookup that cannot finish raises rather than answer "not found".

A digest's chart follows its post as a file in its thread (`files_upload_v2`); an upload Slack
refuses is logged, never posted, and never makes the digest itself be sent again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.clients import Retries, create_client, failure_code
from bot.slack.i18n import Lang
from bot.slack.render import fallback_text
from bot.slack.render.charts import ChartFile
from bot.slack.render.digest import digest_chart
from bot.slack.render.notify import outbox_blocks, zone_of
from bot.watch.kinds import NoticeKind, parse
from bot.watch.payloads import DigestPayload
from bot.watch.ports import (
    ChatChannelGone,
    ChatError,
    ChatRateLimited,
    ChatRejected,
    ChatUnknownOutcome,
    Outgoing,
)

logger = logging.getLogger(__name__)
ChartMaker = Callable[..., ChartFile | None]
"""Draw a digest's chart: `digest_chart(digest, *, lang, tz)` (tests hand in their own)."""
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
        # The history cannot be read: a direct message without im:history, a deleted thread.
        "missing_scope",
        "thread_not_found",
    }
)
HISTORY_LIMIT = 200
CLOCK_SKEW = 600.0
LOOKUP_BUDGET = 30.0


def create_sender_client(*, token: str, api_url: str, timeout: float = 10.0) -> AsyncWebClient:
    """Build a Web API client that never retries by itself (see the module docstring)."""
    return create_client(token=token, api_url=api_url, timeout=timeout, retries=Retries.NONE)


class SlackChatSender:
    """Render outbox payloads and send them with `chat.postMessage` and `chat.update`."""

    def __init__(
        self,
        client: AsyncWebClient,
        *,
        lang: Lang,
        clock: Callable[[], datetime],
        lookup_budget: float = LOOKUP_BUDGET,
        chart: ChartMaker = digest_chart,
    ) -> None:
        self._client = client
        self._lang = lang
        self._clock = clock
        self._budget = lookup_budget
        self.chart = chart
        """What draws a digest's chart."""

    def _render(self, message: Outgoing) -> tuple[list[dict[str, Any]], str]:
        """Render the message; a payload that is not its kind's model is refused for good."""
        try:
            payload = parse(NoticeKind(message.kind), message.payload)
        except ValueError as error:  # an unknown kind, or pydantic's ValidationError
            raise ChatRejected(f"bad_payload: {type(error).__name__}") from None
        blocks = outbox_blocks(payload, now=self._clock(), lang=self._lang)
        return blocks, fallback_text(blocks)

    async def _attach_chart(self, message: Outgoing, ts: str) -> None:
        """Upload a digest's chart into its thread; a refusal or a lost upload is only logged."""
        payload = DigestPayload.model_validate(message.payload)
        try:
            # Drawing is CPU-bound: off the event loop. Days are labelled in the schedule's zone.
            chart = await asyncio.to_thread(
                self.chart, payload.digest, lang=self._lang, tz=zone_of(payload.zone)
            )
        except Exception:  # a chart that cannot be drawn must not undo its posted digest
            logger.exception("digest chart failed", extra={"channel": message.channel_id})
            return
        if chart is None:
            return
        try:
            await self._client.files_upload_v2(
                channel=message.channel_id,
                thread_ts=ts,
                content=chart.png,
                filename=chart.filename,
                title=chart.title,
                alt_txt=chart.alt_text,
                initial_comment=chart.comment,
            )
        except SlackApiError as error:
            logger.warning("digest chart upload failed", extra={"slack_error": failure_code(error)})
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            logger.warning(
                "digest chart upload failed", extra={"slack_error": type(error).__name__}
            )

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
        ts = str(response.get("ts") or "")
        if message.kind == NoticeKind.DIGEST and ts:
            await self._attach_chart(message, ts)
        return ts

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
        """Look for a bot message carrying `dedup_key` in the thread, or in the channel.

        Pages back to `since` (less a margin for clock skew) however many messages that takes;
        raises `ChatUnknownOutcome` when the time budget runs out first.
        """
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
        deadline = time.monotonic() + self._budget
        while True:
            response = await _call(method, args)
            for item in response.get("messages") or []:
                if _key_of(item) == dedup_key:
                    return str(item.get("ts"))
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None
            if time.monotonic() > deadline:
                raise ChatUnknownOutcome("lookup_incomplete")
            args["cursor"] = cursor


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
