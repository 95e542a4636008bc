"""The `chat.*` methods: post, update, delete and post ephemeral messages."""

from __future__ import annotations

from bot.workspace.blocks import check_message
from bot.workspace.ids import BOT_USER_ID
from bot.workspace.model import Ephemeral, JsonDict, Message, SlackError
from bot.workspace.params import flag, json_list, json_object, required, text
from bot.workspace.state import Workspace


def _metadata(params: JsonDict) -> JsonDict | None:
    metadata = json_object(params, "metadata")
    if metadata is None:
        return None
    event_type = metadata.get("event_type")
    payload = metadata.get("event_payload", {})
    if not isinstance(event_type, str) or not event_type or not isinstance(payload, dict):
        raise SlackError("invalid_metadata_format")
    return {"event_type": event_type, "event_payload": payload}


def post_message(ws: Workspace, params: JsonDict) -> JsonDict:
    """Post a message, a thread reply or a broadcast reply; return its ts."""
    channel = ws.writable(text(params, "channel"))
    body_text = text(params, "text")
    blocks = json_list(params, "blocks")
    check_message(body_text, blocks, params.get("attachments"))
    metadata = _metadata(params)
    thread_ts = text(params, "thread_ts")
    if thread_ts is not None:
        thread_ts = ws.thread_root(channel, thread_ts).ts
    message = Message(
        channel.id,
        ws.next_ts(),
        body_text or "",
        blocks,
        thread_ts=thread_ts,
        reply_broadcast=thread_ts is not None and flag(params, "reply_broadcast"),
        metadata=metadata,
    )
    channel.messages.append(message)
    return {
        "channel": channel.id,
        "ts": message.ts,
        "message": message.as_api(include_metadata=True),
    }


def update(ws: Workspace, params: JsonDict) -> JsonDict:
    """Edit a bot message in place: same ts, new text, blocks or metadata."""
    channel = ws.writable(required(params, "channel", "channel_not_found"))
    message = ws.message(channel, required(params, "ts", "message_not_found"))
    if message.user != BOT_USER_ID:
        raise SlackError("cant_update_message")
    new_text = text(params, "text")
    blocks = json_list(params, "blocks") if "blocks" in params else message.blocks
    check_message(new_text or message.text, blocks, params.get("attachments"))
    metadata = _metadata(params)
    if "text" in params:
        message.text = new_text or ""
    message.blocks = blocks
    if metadata is not None:
        message.metadata = metadata
    message.edits += 1
    message.edited_ts = ws.next_ts()
    return {
        "channel": channel.id,
        "ts": message.ts,
        "text": message.text,
        "message": message.as_api(include_metadata=True),
    }


def delete(ws: Workspace, params: JsonDict) -> JsonDict:
    """Delete a bot message; its thread replies stay."""
    channel = ws.writable(required(params, "channel", "channel_not_found"))
    message = ws.message(channel, required(params, "ts", "message_not_found"))
    if message.user != BOT_USER_ID:
        raise SlackError("cant_delete_message")
    message.deleted = True
    return {"channel": channel.id, "ts": message.ts}


def post_ephemeral(ws: Workspace, params: JsonDict) -> JsonDict:
    """Show a message to one user in a channel; it can never be edited afterwards."""
    channel = ws.writable(text(params, "channel"))
    user = required(params, "user", "user_not_found")
    if not user.startswith(("U", "W")):
        raise SlackError("user_not_found")
    body_text = text(params, "text")
    blocks = json_list(params, "blocks")
    check_message(body_text, blocks, params.get("attachments"))
    ephemeral = Ephemeral(
        channel.id,
        user,
        ws.next_ts(),
        body_text or "",
        blocks,
        source="chat.postEphemeral",
        thread_ts=text(params, "thread_ts"),
    )
    ws.ephemerals.append(ephemeral)
    return {"message_ts": ephemeral.ts}
