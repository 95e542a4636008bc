"""The fake workspace's state: channels, users, messages, ephemerals, files, views and the clock."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Mapping

from bot.workspace.ids import DEFAULT_CHANNEL, DEFAULT_CHANNEL_NAME, DEFAULT_USER, DEFAULT_USER_NAME
from bot.workspace.model import (
    Channel,
    Ephemeral,
    JsonDict,
    Message,
    ResponsePost,
    SlackError,
    StoredFile,
    User,
    View,
)

Clock = Callable[[], float]


class Workspace:
    """Everything the fake Web API reads and writes; method handlers are functions over it."""

    def __init__(
        self,
        *,
        channels: Mapping[str, str] | Iterable[str] | None = None,
        clock: Clock = time.time,
    ) -> None:
        self.clock = clock
        self.base_url = ""
        self.created = int(clock())
        self.channels: dict[str, Channel] = {}
        self.users: dict[str, User] = {}
        self.ephemerals: list[Ephemeral] = []
        self.responses: list[ResponsePost] = []
        self.files: dict[str, StoredFile] = {}
        self.views: dict[str, View] = {}
        self.homes: dict[str, View] = {}
        """The App Home view published for each member, by user id."""
        self._last_micros = 0
        self._ids = itertools.count(1)
        names = {DEFAULT_CHANNEL: DEFAULT_CHANNEL_NAME} if channels is None else channels
        pairs = names.items() if isinstance(names, Mapping) else ((c, c.lower()) for c in names)
        for channel_id, name in pairs:
            self.add_channel(channel_id, name)
        self.add_user(DEFAULT_USER, DEFAULT_USER_NAME)

    def add_channel(
        self, channel_id: str, name: str | None = None, *, private: bool = False
    ) -> None:
        """Create a channel the bot is a member of."""
        self.channels[channel_id] = Channel(channel_id, name or channel_id.lower(), private)

    def add_user(self, user: User | str, name: str | None = None) -> User:
        """Register a member (a `User` or an id and name with default locale and tz)."""
        if isinstance(user, str):
            user = User(user, name or user.lower(), (name or user).title())
        self.users[user.id] = user
        return user

    def next_ts(self) -> str:
        """Return a message timestamp unique and increasing across the workspace."""
        micros = max(int(self.clock() * 1_000_000), self._last_micros + 1)
        self._last_micros = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def next_id(self, prefix: str) -> str:
        """Return a fresh Slack-style id such as `F00000003`."""
        return f"{prefix}{next(self._ids):08d}"

    def channel(self, ref: str | None) -> Channel:
        """Find a channel by id, `#name` or name; raise `channel_not_found`."""
        if not ref:
            raise SlackError("channel_not_found")
        if ref in self.channels:
            return self.channels[ref]
        name = ref.removeprefix("#")
        for channel in self.channels.values():
            if channel.name == name:
                return channel
        raise SlackError("channel_not_found")

    def writable(self, ref: str | None) -> Channel:
        """Find a channel the bot may post in; raise Slack's permanent channel errors.

        A member's user id names the bot's direct message with them, as Slack takes it.
        """
        if ref in self.users and not self.users[ref].is_bot:
            return self.direct(ref)
        channel = self.channel(ref)
        if channel.is_archived:
            raise SlackError("is_archived")
        if not channel.is_member:
            raise SlackError("not_in_channel")
        return channel

    def direct(self, user_id: str) -> Channel:
        """Return the bot's direct message channel with a member, opening it if need be."""
        channel_id = "D" + user_id[1:]
        if channel_id not in self.channels:
            self.add_channel(channel_id, f"dm-{user_id.lower()}", private=True)
        return self.channels[channel_id]

    def readable(self, ref: str | None) -> Channel:
        """Find a channel whose history the bot may read."""
        channel = self.channel(ref)
        if not channel.is_member:
            raise SlackError("not_in_channel")
        return channel

    def message(self, channel: Channel, ts: str | None) -> Message:
        """Find a live message by ts; raise `message_not_found`."""
        for message in channel.messages:
            if message.ts == ts and not message.deleted:
                return message
        raise SlackError("message_not_found")

    def thread_root(self, channel: Channel, ts: str) -> Message:
        """Find the parent a reply should hang under; raise `thread_not_found`."""
        for message in channel.messages:
            if message.ts == ts:
                if message.is_reply and message.thread_ts:
                    return self.thread_root(channel, message.thread_ts)
                return message
        raise SlackError("thread_not_found")

    def top_level(self, channel: Channel) -> list[Message]:
        """Return what the channel shows, oldest first: top-level posts and broadcast replies."""
        return [
            m for m in channel.messages if not m.deleted and (not m.is_reply or m.reply_broadcast)
        ]

    def replies(self, channel: Channel, ts: str) -> list[Message]:
        """Return the live replies under a parent, oldest first."""
        return [m for m in channel.messages if m.is_reply and m.thread_ts == ts and not m.deleted]

    def thread_summary(self, channel: Channel, parent: Message) -> JsonDict:
        """Return the reply fields Slack adds to a thread parent."""
        replies = self.replies(channel, parent.ts)
        if not replies:
            return {}
        return {
            "thread_ts": parent.ts,
            "reply_count": len(replies),
            "reply_users": sorted({r.user for r in replies}),
            "reply_users_count": len({r.user for r in replies}),
            "latest_reply": replies[-1].ts,
        }

    def render(self, channel: Channel, message: Message, *, metadata: bool) -> JsonDict:
        """Render a message for history or replies, with thread fields on a parent."""
        body = message.as_api(include_metadata=metadata)
        if not message.is_reply:
            body.update(self.thread_summary(channel, message))
        return body

    def find_any(self, channel_id: str, ts: str) -> Message | Ephemeral | None:
        """Find a live channel message or an ephemeral by its ts."""
        channel = self.channels.get(channel_id)
        if channel is not None:
            for message in channel.messages:
                if message.ts == ts and not message.deleted:
                    return message
        for ephemeral in self.ephemerals:
            if ephemeral.ts == ts and not ephemeral.deleted:
                return ephemeral
        return None
