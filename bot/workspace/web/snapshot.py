"""What the page shows one person: channels, a channel's messages and ephemerals, a thread, a modal.

Pure functions over the fake's state; the page renders the Block Kit itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.workspace.ids import BOT_USER_ID
from bot.workspace.model import Channel, Ephemeral, JsonDict, Message, User
from bot.workspace.state import Workspace
from bot.workspace.web.bridge import Bridge

BOT_NAME = "aihc"


@dataclass(frozen=True)
class Where:
    """Whose view of the workspace, in which channel, with which thread open."""

    user: str
    channel: str
    thread: str | None = None


def _user(user: User) -> JsonDict:
    return {"id": user.id, "name": user.name, "real_name": user.real_name, "locale": user.locale}


def _visible_channels(ws: Workspace, user: str) -> list[JsonDict]:
    """Every channel, and the person's own direct message with the bot (`D` + their id)."""
    dm = "D" + user[1:]
    return [
        {"id": c.id, "name": c.name, "is_private": c.is_private, "is_dm": c.id.startswith("D")}
        for c in ws.channels.values()
        if not c.id.startswith("D") or c.id == dm
    ]


def _author(ws: Workspace, user_id: str) -> str:
    if user_id == BOT_USER_ID:
        return BOT_NAME
    user = ws.users.get(user_id)
    return user.name if user else user_id


def _message(ws: Workspace, channel: Channel, message: Message) -> JsonDict:
    replies = ws.replies(channel, message.ts) if not message.is_reply else []
    return {
        "ts": message.ts,
        "author": _author(ws, message.user),
        "bot": message.bot_id is not None,
        "text": message.text,
        "blocks": message.blocks,
        "edited": message.edits > 0,
        "thread_ts": message.thread_ts,
        "broadcast": message.reply_broadcast,
        "reply_count": len(replies),
        "files": [
            {
                "id": f.get("id"),
                "name": f.get("name"),
                "title": f.get("title"),
                "mimetype": f.get("mimetype"),
                "alt_txt": f.get("alt_txt"),
            }
            for f in message.files
        ],
        "ephemeral": False,
    }


def _ephemeral(item: Ephemeral) -> JsonDict:
    return {
        "ts": item.ts,
        "author": BOT_NAME if item.source != "workspace" else "Slackbot",
        "bot": True,
        "text": item.text,
        "blocks": item.blocks,
        "edited": item.edits > 0,
        "thread_ts": item.thread_ts,
        "broadcast": False,
        "reply_count": 0,
        "files": [],
        "ephemeral": True,
    }


def _ephemerals(ws: Workspace, where: Where, *, thread: str | None) -> list[JsonDict]:
    return [
        _ephemeral(e)
        for e in ws.ephemerals
        if not e.deleted and e.user == where.user and e.channel == where.channel
        if (e.thread_ts or None) == thread
    ]


def _by_ts(items: list[JsonDict]) -> list[JsonDict]:
    return sorted(items, key=lambda item: float(item["ts"]))


def _thread(ws: Workspace, channel: Channel, where: Where) -> JsonDict | None:
    if where.thread is None:
        return None
    parent = next((m for m in channel.messages if m.ts == where.thread and not m.deleted), None)
    if parent is None:
        return None
    replies = [_message(ws, channel, m) for m in ws.replies(channel, parent.ts)]
    replies += _ephemerals(ws, where, thread=parent.ts)
    return {"parent": _message(ws, channel, parent), "replies": _by_ts(replies)}


def _modal(bridge: Bridge, user: str) -> JsonDict | None:
    view = bridge.top_view(user)
    if view is None:
        return None
    return {
        "id": view.id,
        "view": {"type": "modal", "blocks": [], **view.view},
        "errors": bridge.view_errors(view.id),
        "version": view.versions,
        "stacked": view.previous_view_id is not None,
    }


def _home(bridge: Bridge, user: str) -> JsonDict | None:
    view = bridge.fake.workspace.homes.get(user)
    if view is None:
        return None
    return {"id": view.id, "blocks": list(view.view.get("blocks") or []), "version": view.versions}


def snapshot(bridge: Bridge, where: Where) -> JsonDict:
    """Return everything the page needs to draw one person's view of the workspace."""
    ws = bridge.fake.workspace
    channel = ws.channels.get(where.channel) or next(iter(ws.channels.values()))
    where = Where(where.user, channel.id, where.thread)
    messages = [_message(ws, channel, m) for m in ws.top_level(channel)]
    messages += _ephemerals(ws, where, thread=None)
    return {
        "user": where.user,
        "users": [_user(u) for u in ws.users.values() if not u.is_bot],
        "channels": _visible_channels(ws, where.user),
        "channel": channel.id,
        "messages": _by_ts(messages),
        "thread": _thread(ws, channel, where),
        "modal": _modal(bridge, where.user),
        "home": _home(bridge, where.user),
        "connected": bridge.sender is not None,
    }
