"""Block Kit primitives that cannot exceed a limit: every builder truncates what it is given.

Builders taking `mrkdwn` expect text that is already escaped (see `text.escape`); builders taking
plain text or rich text take raw text, which Slack never parses for mentions or links.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.slack.render.limits import (
    ACTIONS_MAX_ELEMENTS,
    BUTTON_TEXT_MAX,
    CONTEXT_MAX_ELEMENTS,
    CONTEXT_TEXT_MAX,
    FIELD_TEXT_MAX,
    HEADER_TEXT_MAX,
    MAX_FIELDS,
    PREFORMATTED_MAX,
    SECTION_TEXT_MAX,
    Block,
    text_len,
)
from bot.slack.render.text import clean, one_line, truncate

EMPTY = "—"
"""Slack rejects empty text objects; this stands in for nothing."""


def _mrkdwn(text: str, limit: int) -> dict[str, str]:
    return {"type": "mrkdwn", "text": truncate(text, limit) if text.strip() else EMPTY}


def _plain(text: str, limit: int) -> dict[str, object]:
    body = truncate(one_line(text), limit)
    return {"type": "plain_text", "text": body or EMPTY, "emoji": True}


def section(mrkdwn: str) -> Block:
    """Build a section of escaped mrkdwn text."""
    return {"type": "section", "text": _mrkdwn(mrkdwn, SECTION_TEXT_MAX)}


def fields_section(fields: Sequence[str]) -> Block:
    """Build a section of up to ten escaped mrkdwn fields shown side by side."""
    return {
        "type": "section",
        "fields": [_mrkdwn(field, FIELD_TEXT_MAX) for field in fields[:MAX_FIELDS]],
    }


def header(plain: str) -> Block:
    """Build a header from raw text."""
    return {"type": "header", "text": _plain(plain, HEADER_TEXT_MAX)}


def context(*mrkdwn: str) -> Block:
    """Build a context line from up to ten escaped mrkdwn elements."""
    elements = [_mrkdwn(text, CONTEXT_TEXT_MAX) for text in mrkdwn[:CONTEXT_MAX_ELEMENTS]]
    return {"type": "context", "elements": elements or [_mrkdwn(EMPTY, CONTEXT_TEXT_MAX)]}


def divider() -> Block:
    """Build a divider."""
    return {"type": "divider"}


def preformatted(raw: str) -> Block:
    """Build a monospace rich text block from raw text, cut to the limit we hold it to."""
    body = truncate(clean(raw.replace("\t", "    ")), PREFORMATTED_MAX)
    # Slack refuses rich text that is empty or only blanks.
    body = body if body.strip() else EMPTY
    return {
        "type": "rich_text",
        "elements": [
            {"type": "rich_text_preformatted", "elements": [{"type": "text", "text": body}]}
        ],
    }


def preformatted_chunks(lines: Sequence[str], *, max_blocks: int) -> tuple[list[Block], int]:
    """Pack whole raw `lines` into at most `max_blocks` monospace blocks; say how many fit."""
    return _pack(lines, PREFORMATTED_MAX, preformatted, max_blocks)


def mrkdwn_chunks(lines: Sequence[str], *, max_blocks: int) -> tuple[list[Block], int]:
    """Pack escaped mrkdwn `lines` into at most `max_blocks` sections; say how many fit."""
    return _pack(lines, SECTION_TEXT_MAX, section, max_blocks)


def _pack(
    lines: Sequence[str], limit: int, build: Callable[[str], Block], max_blocks: int
) -> tuple[list[Block], int]:
    blocks: list[Block] = []
    chunk: list[str] = []
    size = 0
    for used, line in enumerate(lines):
        line = truncate(line, limit - 1)
        cost = text_len(line) + 1
        if chunk and size + cost > limit:
            blocks.append(build("\n".join(chunk)))
            chunk, size = [], 0
            if len(blocks) == max_blocks:
                return blocks, used
        chunk.append(line)
        size += cost
    if chunk:
        blocks.append(build("\n".join(chunk)))
    return blocks, len(lines)


def button(text: str, *, action_id: str, value: str, style: str | None = None) -> Block:
    """Build a button from a raw label; the value is a reference the handler parses back."""
    element: Block = {
        "type": "button",
        "text": _plain(text, BUTTON_TEXT_MAX),
        "action_id": action_id,
        "value": value,
    }
    if style is not None:
        element["style"] = style
    return element


def actions(elements: Sequence[Block]) -> Block:
    """Build an actions block of up to 25 elements."""
    return {"type": "actions", "elements": list(elements[:ACTIONS_MAX_ELEMENTS])}
