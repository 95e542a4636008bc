"""One retry policy for every Slack Web API client the bot builds.

A call is repeated after a lost connection or a 5xx only when a repeat is harmless, because
Slack may have acted before the answer was lost: `chat.postMessage` has no idempotency key, so
a repeat can show a line twice. A 429 is waited out (its `Retry-After`, a bounded number of
times) for every method, because Slack did not act on a throttled call. The watcher's sender
takes no automatic retries at all: its outbox decides, after looking for the message first.
"""

from __future__ import annotations

import asyncio
import random
from enum import StrEnum
from urllib.parse import urlsplit

from aiohttp import ClientConnectorError, ClientOSError, ServerConnectionError
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

MAX_RETRIES = 2
# A user is waiting on the interactive client; a longer wait is answered as a failure instead.
MAX_RETRY_AFTER = 20.0
UPLOAD = "(upload)"
"""The pseudo-method of a file's bytes posted to the URL `files.getUploadURLExternal` gave."""

# Methods a Slack app of ours calls (bot/, Bolt and slack_sdk on its behalf), by whether doing
# one twice leaves Slack as doing it once would. A method missing here is never repeated.
HARMLESS_REPEAT: dict[str, str] = {
    "auth.test": "a read (Bolt's authorisation, `aihc-bot check`)",
    "apps.connections.open": "mints a Socket Mode URL; one left unused expires",
    "users.info": "a read (the asker's locale)",
    "conversations.info": "a read",
    "conversations.history": "a read",
    "conversations.replies": "a read",
    "conversations.open": "returns the same direct-message channel every time",
    "files.getUploadURLExternal": "reserves an upload; one never completed is discarded",
    UPLOAD: "replaces the bytes of a file that is not shared yet",
    "chat.update": "sets the card to the same content again",
    "views.update": "sets the modal to the same view again",
    "views.publish": "sets App Home to the same view again",
}
NOT_REPEATED: dict[str, str] = {
    "chat.postMessage": "no idempotency key: a repeat posts the line twice",
    "chat.postEphemeral": "a repeat shows the private answer twice",
    "views.open": "a repeat opens a second modal (or fails on the spent trigger)",
    "views.push": "a repeat stacks a second modal",
    "files.completeUploadExternal": "a repeat shares the file a second time",
    "chat.delete": "a repeat of a delete that landed answers message_not_found",
}


class Retries(StrEnum):
    """Which automatic retries a client gets."""

    POLICY = "policy"
    """Harmless methods after a lost connection or a 5xx; every method after a 429."""
    NONE = "none"
    """None at all: the caller decides (the watcher's outbox, after a history lookup)."""


def method_of(request: HttpRequest) -> str:
    """Return the Web API method a request calls: the last part of its URL's path."""
    name = urlsplit(request.url).path.rstrip("/").rpartition("/")[2]
    # Every Web API method is `family.verb`; the upload URL Slack hands out ends in an id.
    return name if "." in name else UPLOAD


def is_harmless(method: str) -> bool:
    """Tell whether doing `method` twice leaves Slack as doing it once would."""
    return method in HARMLESS_REPEAT


class HarmlessRepeatHandler(AsyncRetryHandler):
    """Repeat a harmless call after a lost connection or a 5xx; any call never sent at all."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if isinstance(error, ClientConnectorError):
            return True  # no connection was made, so Slack never saw the call
        lost = isinstance(error, ServerConnectionError | ClientOSError)
        failed = response is not None and response.status_code >= 500
        return (lost or failed) and is_harmless(method_of(request))


class RateLimitHandler(AsyncRetryHandler):
    """Wait out a 429's `Retry-After` and repeat the call; give up on a wait too long."""

    def __init__(self, max_retry_count: int, *, max_wait: float) -> None:
        super().__init__(max_retry_count)
        self.max_wait = max_wait

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return (
            response is not None
            and response.status_code == 429
            and retry_after(response) <= self.max_wait
        )

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        """Sleep for the answer's `Retry-After` (with a little jitter), then count the attempt."""
        state.next_attempt_requested = True
        wait = retry_after(response) if response is not None else 1.0
        await asyncio.sleep(wait + random.uniform(0, 0.25))  # noqa: S311  (jitter, not a secret)
        state.increment_current_attempt()


def retry_after(response: HttpResponse) -> float:
    """Return a 429's `Retry-After` in seconds (1 when absent or unreadable)."""
    for name, values in response.headers.items():
        if name.lower() == "retry-after" and values:
            try:
                return max(float(values[0]), 0.0)
            except ValueError:
                return 1.0
    return 1.0


def retry_handlers(retries: Retries) -> list[AsyncRetryHandler]:
    """Return the retry handlers of a client built with `retries`."""
    if retries is Retries.NONE:
        return []
    return [
        HarmlessRepeatHandler(MAX_RETRIES),
        RateLimitHandler(MAX_RETRIES, max_wait=MAX_RETRY_AFTER),
    ]


def create_client(
    *, token: str | None, api_url: str, timeout: float, retries: Retries
) -> AsyncWebClient:
    """Build a Web API client with the retries chosen and a timeout per attempt."""
    return AsyncWebClient(
        token=token,
        base_url=api_url,
        # aiohttp's ClientTimeout takes float seconds, whatever slack_sdk's annotation says.
        timeout=timeout,  # type: ignore[arg-type]
        retry_handlers=retry_handlers(retries),
    )


def failure_code(error: Exception) -> str:
    """Name a failed Web API call for the log: Slack's error code, else the exception's type."""
    response = getattr(error, "response", None)
    if isinstance(error, SlackApiError) and response is not None:
        return str(response.get("error") or f"http {response.status_code}")
    return type(error).__name__
