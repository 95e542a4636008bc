"""Reading methods: `auth.test`, `conversations.history|replies|info`, `users.info`."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable

from bot.workspace.ids import BOT_ID, BOT_NAME, BOT_USER_ID, TEAM_DOMAIN, TEAM_ID
from bot.workspace.model import JsonDict, Message, SlackError
from bot.workspace.params import flag, integer, required, text
from bot.workspace.state import Workspace


def auth_test(ws: Workspace, params: JsonDict) -> JsonDict:
    """Describe the token's bot: team, user and bot ids."""
    return {
        "url": f"https://{TEAM_DOMAIN}.slack.com/",
        "team": TEAM_DOMAIN,
        "user": BOT_NAME,
        "team_id": TEAM_ID,
        "user_id": BOT_USER_ID,
        "bot_id": BOT_ID,
        "is_enterprise_install": False,
    }


def _encode_cursor(ts: str) -> str:
    return base64.b64encode(f"next_ts:{ts}".encode()).decode()


def _decode_cursor(cursor: str) -> str:
    try:
        decoded = base64.b64decode(cursor, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise SlackError("invalid_cursor") from None
    if not decoded.startswith("next_ts:"):
        raise SlackError("invalid_cursor")
    return decoded.removeprefix("next_ts:")


def _timestamp(params: JsonDict, name: str, default: float) -> float:
    value = text(params, name)
    try:
        return default if value is None else float(value)
    except ValueError:
        raise SlackError(f"invalid_ts_{name}") from None


def _in_window(params: JsonDict) -> Callable[[Message], bool]:
    oldest = _timestamp(params, "oldest", 0.0)
    latest = _timestamp(params, "latest", float("inf"))
    if flag(params, "inclusive"):
        return lambda m: oldest <= float(m.ts) <= latest
    return lambda m: oldest < float(m.ts) < latest


def _page(items: list[Message], params: JsonDict, default: int) -> tuple[list[Message], str]:
    """Cut one page; return it and the cursor of the next (empty when none is left)."""
    limit = integer(params, "limit", default, low=1, high=1000)
    start = 0
    cursor = text(params, "cursor")
    if cursor is not None:
        ts = _decode_cursor(cursor)
        starts = [i for i, m in enumerate(items) if m.ts == ts]
        if not starts:
            raise SlackError("invalid_cursor")
        start = starts[0]
    page = items[start : start + limit]
    rest = items[start + limit :]
    return page, _encode_cursor(rest[0].ts) if rest else ""


def history(ws: Workspace, params: JsonDict) -> JsonDict:
    """List a channel's top-level messages, newest first, in pages."""
    channel = ws.readable(text(params, "channel"))
    window = _in_window(params)
    items = [m for m in reversed(ws.top_level(channel)) if window(m)]
    page, next_cursor = _page(items, params, 100)
    metadata = flag(params, "include_all_metadata")
    return {
        "messages": [ws.render(channel, m, metadata=metadata) for m in page],
        "has_more": bool(next_cursor),
        "pin_count": 0,
        "response_metadata": {"next_cursor": next_cursor},
    }


def replies(ws: Workspace, params: JsonDict) -> JsonDict:
    """List a thread, its parent first and then its replies oldest first, in pages."""
    channel = ws.readable(text(params, "channel"))
    ts = required(params, "ts", "thread_not_found")
    parent = ws.thread_root(channel, ts)
    if parent.deleted and not ws.replies(channel, parent.ts):
        raise SlackError("thread_not_found")
    window = _in_window(params)
    items = [parent, *(m for m in ws.replies(channel, parent.ts) if window(m))]
    page, next_cursor = _page(items, params, 1000)
    metadata = flag(params, "include_all_metadata")
    return {
        "messages": [ws.render(channel, m, metadata=metadata) for m in page],
        "has_more": bool(next_cursor),
        "response_metadata": {"next_cursor": next_cursor},
    }


def conversation_info(ws: Workspace, params: JsonDict) -> JsonDict:
    """Describe a channel, archived and membership flags included."""
    channel = ws.channel(text(params, "channel"))
    return {"channel": channel.as_api(ws.created)}


def user_info(ws: Workspace, params: JsonDict) -> JsonDict:
    """Describe a member, with `locale` when asked for."""
    user = ws.users.get(required(params, "user", "user_not_found"))
    if user is None:
        raise SlackError("user_not_found")
    return {"user": user.as_api(include_locale=flag(params, "include_locale"))}


def conversations_open(ws: Workspace, params: JsonDict) -> JsonDict:
    """Open (or reopen) the direct message channel between the bot and one member."""
    users = [u.strip() for u in required(params, "users", "users_list_not_supplied").split(",")]
    if len(users) != 1:
        raise SlackError("not_supported")
    if users[0] not in ws.users:
        raise SlackError("user_not_found")
    channel_id = ws.direct(users[0]).id
    return {"channel": {"id": channel_id, "is_im": True, "user": users[0]}}
