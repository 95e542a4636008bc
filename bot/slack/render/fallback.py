"""The plain `text` sent beside blocks: what notifications and screen readers show."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from bot.slack.render.limits import Block
from bot.slack.render.text import escape, one_line, truncate

FALLBACK_MAX = 500
"""A notification shows a line or two; the blocks carry the rest."""

FALLBACK_PARTS = 3


def fallback_text(blocks: Sequence[Block]) -> str:
    """Summarise `blocks` as one escaped line from their first texts."""
    parts: list[str] = []
    for text in _texts(blocks):
        line = one_line(text)
        if line and line != "—":
            parts.append(line)
        if len(parts) == FALLBACK_PARTS:
            break
    return truncate(" · ".join(parts), FALLBACK_MAX) or "aihc-bot"


def _texts(blocks: Sequence[Block]) -> Iterator[str]:
    """Yield each block's visible text as mrkdwn, escaping what was raw."""
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            yield escape(_text_of(block.get("text")))
        elif kind == "section":
            yield _text_of(block.get("text"))
            for field in block.get("fields") or []:
                yield _text_of(field)
        elif kind == "context":
            for element in block.get("elements") or []:
                yield _text_of(element)
        elif kind == "rich_text":
            for container in block.get("elements") or []:
                for part in container.get("elements") or []:
                    # Only the first line: a log tail would drown the notification.
                    yield escape(str(part.get("text", "")).split("\n", 1)[0])


def _text_of(obj: Any) -> str:
    if isinstance(obj, Mapping):
        return str(obj.get("text", ""))
    return ""
