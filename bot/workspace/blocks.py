"""Check Block Kit against the limits Slack enforces, so the fake refuses what Slack refuses."""

from __future__ import annotations

from typing import Any

from bot.workspace.model import JsonDict, SlackError

MAX_TEXT = 40_000
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
_KNOWN = {
    "actions", "context", "divider", "file", "header", "image", "input", "rich_text", "section",
    "video", "markdown", "table",
}  # fmt: skip


def _text_of(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("text") or "")
    return ""


def _problem(block: Any) -> str | None:
    if not isinstance(block, dict) or block.get("type") not in _KNOWN:
        return "unknown or missing block type"
    kind = block["type"]
    if len(str(block.get("block_id") or "")) > 255:
        return "block_id longer than 255 characters"
    if kind == "section":
        fields = block.get("fields") or []
        if len(_text_of(block.get("text"))) > 3000:
            return "section text longer than 3000 characters"
        if len(fields) > 10 or any(len(_text_of(f)) > 2000 for f in fields):
            return "more than 10 section fields or a field longer than 2000 characters"
    if kind == "header" and len(_text_of(block.get("text"))) > 150:
        return "header text longer than 150 characters"
    if kind == "context" and len(block.get("elements") or []) > 10:
        return "more than 10 context elements"
    if kind == "actions" and len(block.get("elements") or []) > 25:
        return "more than 25 actions elements"
    return None


def check_blocks(blocks: list[JsonDict], *, limit: int = MAX_MESSAGE_BLOCKS) -> None:
    """Raise `invalid_blocks` naming the first block Slack would refuse."""
    if len(blocks) > limit:
        raise SlackError("invalid_blocks", errors=[f"no more than {limit} items allowed"])
    for index, block in enumerate(blocks):
        problem = _problem(block)
        if problem:
            raise SlackError("invalid_blocks", errors=[f"{problem} [json-pointer:/blocks/{index}]"])


def check_message(text: str | None, blocks: list[JsonDict], attachments: Any) -> None:
    """Refuse an empty or oversized message, or one with invalid blocks."""
    if not text and not blocks and not attachments:
        raise SlackError("no_text")
    if text and len(text) > MAX_TEXT:
        raise SlackError("msg_too_long")
    check_blocks(blocks)
