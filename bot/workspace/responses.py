"""`response_url`s: minted per command or interaction, answered the way Slack shows them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.workspace.blocks import check_message
from bot.workspace.model import Ephemeral, JsonDict, Message
from bot.workspace.params import flag, json_list, text
from bot.workspace.state import Workspace


@dataclass(slots=True)
class Minted:
    """Where a response_url's answers go: the channel, the user and the original message."""

    key: str
    channel: str
    user: str
    message_ts: str | None
    uses: int = 0


def _original(ws: Workspace, minted: Minted) -> Message | Ephemeral | None:
    if minted.message_ts is None:
        return None
    return ws.find_any(minted.channel, minted.message_ts)


def _post(ws: Workspace, minted: Minted, body: JsonDict, blocks: list[JsonDict]) -> None:
    body_text = text(body, "text") or ""
    thread_ts = text(body, "thread_ts")
    if body.get("response_type") == "in_channel" and minted.channel in ws.channels:
        channel = ws.channels[minted.channel]
        message = Message(channel.id, ws.next_ts(), body_text, blocks, thread_ts=thread_ts)
        channel.messages.append(message)
        return
    ephemeral = Ephemeral(
        minted.channel, minted.user, ws.next_ts(), body_text, blocks, "response_url", thread_ts
    )
    ws.ephemerals.append(ephemeral)


def apply_response(ws: Workspace, minted: Minted, body: JsonDict) -> None:
    """Act on one response: delete or replace the original, or post a new message.

    Raises SlackError (`no_text`, `invalid_blocks`) for a body Slack would refuse.
    """
    original = _original(ws, minted)
    if flag(body, "delete_original"):
        if original is not None:
            original.deleted = True
        return
    blocks = json_list(body, "blocks")
    check_message(text(body, "text"), blocks, body.get("attachments"))
    if flag(body, "replace_original") and original is not None:
        original.text = text(body, "text") or ""
        original.blocks = blocks
        original.edits += 1
        return
    _post(ws, minted, body, blocks)
