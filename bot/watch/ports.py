"""The seam between the watcher and a chat platform: what to send, and how sending fails.

```
ChatError                 anything a sender raises
├── ChatRateLimited       slow down; retry after `retry_after` seconds
├── ChatUnknownOutcome    the call may or may not have landed (connection lost, 5xx, timeout)
├── ChatChannelGone       the channel is archived or the bot is not in it: pause its subscriptions
└── ChatRejected          this message can never be sent (bad blocks, too long, gone message)
```
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class Outgoing:
    """One message to post or edit, as the outbox holds it; the sender renders `payload`."""

    dedup_key: str
    channel_id: str
    kind: str
    payload: Mapping[str, Any] = field(default_factory=dict)
    thread_ts: str | None = None
    broadcast: bool = False


class ChatError(Exception):
    """Base of what a sender raises; its text never goes back to chat."""


class ChatRateLimited(ChatError):
    """The platform asked us to wait."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited for {retry_after:g}s")
        self.retry_after = retry_after


class ChatUnknownOutcome(ChatError):
    """No answer came: the message may have been delivered."""


class ChatChannelGone(ChatError):
    """The channel cannot take messages any more; `reason` is a short code (is_archived …)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ChatRejected(ChatError):
    """The platform refused this message for good."""


class ChatSender(Protocol):
    """Post, edit and look up bot messages on a chat platform."""

    async def post(self, message: Outgoing) -> str:
        """Post a message (a reply if `thread_ts` is set) carrying its dedup key; return its id."""
        ...

    async def update(self, message: Outgoing, ts: str) -> None:
        """Replace the content of the message `ts` with `message`."""
        ...

    async def find(
        self,
        channel_id: str,
        thread_ts: str | None,
        dedup_key: str,
        *,
        since: datetime | None = None,
    ) -> str | None:
        """Return the id of a message carrying `dedup_key` (posted after `since`), or None.

        None means the lookup answered in full and the message is not there. A lookup that
        could not finish (throttled, failed, out of time) raises a `ChatError` instead, never
        None: only a complete answer may lead to a second post.
        """
        ...
