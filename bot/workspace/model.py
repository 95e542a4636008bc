"""What the fake Slack stores: calls, channels, messages, ephemerals, responses, files, views."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.workspace.ids import BOT_ID, BOT_USER_ID, TEAM_ID

JsonDict = dict[str, Any]


class SlackError(Exception):
    """Raised by a method handler to answer `{"ok": false, "error": ...}`."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


@dataclass(frozen=True, slots=True)
class RecordedCall:
    """One call the fake answered (or dropped): its method, parameters and outcome."""

    method: str
    params: dict[str, Any]
    at: float
    ok: bool
    error: str | None


@dataclass(slots=True)
class User:
    """A workspace member as `users.info` shows it."""

    id: str
    name: str
    real_name: str
    locale: str = "en-US"
    tz: str = "America/Los_Angeles"
    tz_offset: int = -28800
    is_bot: bool = False

    def as_api(self, *, include_locale: bool) -> JsonDict:
        """Render the user as Slack's `user` object."""
        user: JsonDict = {
            "id": self.id,
            "team_id": TEAM_ID,
            "name": self.name,
            "real_name": self.real_name,
            "deleted": False,
            "is_bot": self.is_bot,
            "tz": self.tz,
            "tz_label": self.tz,
            "tz_offset": self.tz_offset,
            "profile": {"real_name": self.real_name, "display_name": self.name},
        }
        if include_locale:
            user["locale"] = self.locale
        return user


@dataclass(slots=True)
class Message:
    """A message in a channel: top level, a thread reply, or a reply broadcast to the channel."""

    channel: str
    ts: str
    text: str
    blocks: list[JsonDict]
    user: str = BOT_USER_ID
    bot_id: str | None = BOT_ID
    thread_ts: str | None = None
    reply_broadcast: bool = False
    metadata: JsonDict | None = None
    files: list[JsonDict] = field(default_factory=list)
    edits: int = 0
    edited_ts: str | None = None
    deleted: bool = False

    @property
    def is_reply(self) -> bool:
        """Tell whether the message sits in another message's thread."""
        return self.thread_ts is not None and self.thread_ts != self.ts

    def as_api(self, *, include_metadata: bool) -> JsonDict:
        """Render the message as `conversations.history` shows it."""
        body: JsonDict = {"type": "message", "user": self.user, "text": self.text, "ts": self.ts}
        body["team"] = TEAM_ID
        if self.blocks:
            body["blocks"] = self.blocks
        if self.bot_id:
            body["bot_id"] = self.bot_id
        if self.thread_ts:
            body["thread_ts"] = self.thread_ts
        if self.reply_broadcast:
            body["subtype"] = "thread_broadcast"
        if self.files:
            body["files"] = self.files
        if self.edited_ts:
            body["edited"] = {"user": self.user, "ts": self.edited_ts}
        if include_metadata and self.metadata is not None:
            body["metadata"] = self.metadata
        return body


@dataclass(slots=True)
class Channel:
    """A conversation the bot may post in, with every message ever posted in it."""

    id: str
    name: str
    is_private: bool = False
    is_archived: bool = False
    is_member: bool = True
    messages: list[Message] = field(default_factory=list)

    def as_api(self, created: int) -> JsonDict:
        """Render the channel as `conversations.info` shows it."""
        return {
            "id": self.id,
            "name": self.name,
            "is_channel": not self.is_private,
            "is_group": False,
            "is_im": False,
            "is_private": self.is_private,
            "is_archived": self.is_archived,
            "is_member": self.is_member,
            "is_general": self.name == "general",
            "created": created,
            "context_team_id": TEAM_ID,
        }


@dataclass(slots=True)
class Ephemeral:
    """A message only one user sees: from `chat.postEphemeral` or an ephemeral response."""

    channel: str
    user: str
    ts: str
    text: str
    blocks: list[JsonDict]
    source: str
    thread_ts: str | None = None
    edits: int = 0
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class ResponsePost:
    """One POST to a minted `response_url`."""

    key: str
    channel: str
    user: str
    body: JsonDict
    at: float

    @property
    def response_type(self) -> str:
        """Return `ephemeral` (Slack's default) or `in_channel`."""
        return str(self.body.get("response_type") or "ephemeral")

    @property
    def text(self) -> str:
        """Return the posted text, or an empty string."""
        return str(self.body.get("text") or "")


@dataclass(slots=True)
class StoredFile:
    """A file announced by `files.getUploadURLExternal`, then uploaded, then shared."""

    id: str
    filename: str
    length: int
    content: bytes = b""
    uploaded: bool = False
    title: str | None = None
    channel: str | None = None
    thread_ts: str | None = None
    initial_comment: str | None = None
    completed: bool = False
    alt_text: str | None = None

    @property
    def filetype(self) -> str:
        """Return Slack's file type: the name's extension, `text` when it has none."""
        stem, dot, extension = self.filename.rpartition(".")
        return extension.lower() if dot and stem else "text"

    @property
    def mimetype(self) -> str:
        """Return the MIME type Slack gives the file, from its name."""
        return _MIME_TYPES.get(self.filetype, "application/octet-stream")

    def as_api(self) -> JsonDict:
        """Render the file as `files.completeUploadExternal` returns it."""
        shown: JsonDict = {
            "id": self.id,
            "name": self.filename,
            "title": self.title or self.filename,
            "filetype": self.filetype,
            "mimetype": self.mimetype,
            "size": len(self.content),
            "user": BOT_USER_ID,
            "channels": [self.channel] if self.channel else [],
        }
        if self.alt_text is not None:
            shown["alt_txt"] = self.alt_text
        return shown


_MIME_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "log": "text/plain",
    "txt": "text/plain",
    "text": "text/plain",
    "json": "application/json",
}


@dataclass(slots=True)
class View:
    """A modal the bot opened, pushed or updated."""

    id: str
    view: JsonDict
    hash: str
    trigger_id: str | None
    root_view_id: str
    previous_view_id: str | None = None
    versions: int = 1
    external_id: str | None = None

    def as_api(self) -> JsonDict:
        """Render the view as `views.open` returns it."""
        body: JsonDict = {
            "type": "modal",
            "blocks": [],
            **self.view,
            "id": self.id,
            "team_id": TEAM_ID,
            "hash": self.hash,
            "root_view_id": self.root_view_id,
            "previous_view_id": self.previous_view_id,
            "bot_id": BOT_ID,
            "state": {"values": {}},
        }
        return body
