"""Text safety: mrkdwn escaping, limit-aware truncation, display widths for aligned tables.

Every string that came from AIHC or from a person goes through `escape` before it enters mrkdwn,
so `<!channel>`, `<@U123>` or `<http://evil|click>` in a job name or a log line pings nobody and
links nowhere. Rich text (preformatted) elements are not parsed for mentions and take raw text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from bot.slack.render.limits import text_len

ELLIPSIS = "…"

_ENTITY_TAIL = re.compile(r"&[a-z]{0,3}$")
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_CODE_UNSAFE = str.maketrans({"`": "ˋ", "\n": " ", "\r": " ", "\t": " "})
_CELL_UNSAFE = str.maketrans({"\n": " ", "\r": " ", "\t": " "})
_BOLD_UNSAFE = str.maketrans({"*": "∗", "\n": " ", "\r": " "})


def escape(text: str) -> str:
    """Escape `&`, `<` and `>` so Slack shows `text` literally inside mrkdwn."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    """Cut `text` to `limit` UTF-16 units with an ellipsis, never inside a char or an entity."""
    if text_len(text) <= limit:
        return text
    budget = limit - text_len(ELLIPSIS)
    used = 0
    cut = 0
    for index, char in enumerate(text):
        used += text_len(char)
        if used > budget:
            break
        cut = index + 1
    head = text[:cut]
    # An escape entity cut in half (`&am`) would show as garbage: drop the partial entity.
    head = _ENTITY_TAIL.sub("", head)
    return head + ELLIPSIS


def clean(text: str) -> str:
    """Drop terminal colour codes and control characters that Slack would show as boxes."""
    return _CONTROL.sub("", _ANSI.sub("", text))


def one_line(text: str) -> str:
    """Fold `text` onto one line without control characters."""
    return " ".join(clean(text.replace("\t", " ")).split())


def code(raw: str, limit: int = 200) -> str:
    """Return `raw` as escaped inline code; a backtick in it cannot end the span early."""
    body = truncate(one_line(raw.translate(_CODE_UNSAFE)), limit)
    return f"`{escape(body)}`" if body else "—"


def bold(raw: str, limit: int = 200) -> str:
    """Return `raw` as escaped bold text; an asterisk in it cannot end the span early."""
    body = truncate(one_line(raw.translate(_BOLD_UNSAFE)), limit)
    return f"*{escape(body)}*" if body else "—"


def char_width(char: str) -> int:
    """Return how many monospace columns `char` takes (CJK: two, combining marks: none)."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Return how many monospace columns `text` takes."""
    return sum(char_width(char) for char in text)


def cell(text: str) -> str:
    """Put `text` on one line for a table cell, keeping inner spaces (sparkline gaps)."""
    return clean(text.translate(_CELL_UNSAFE))


def fit_width(text: str, width: int) -> str:
    """Cut `text` to `width` columns with an ellipsis, then pad it to exactly `width`."""
    text = cell(text)
    if display_width(text) > width:
        used = 0
        kept: list[str] = []
        for char in text:
            if used + char_width(char) > width - 1:
                break
            kept.append(char)
            used += char_width(char)
        text = "".join(kept) + ELLIPSIS
    return text + " " * (width - display_width(text))


def table(rows: Sequence[tuple[str, ...]], widths: tuple[int, ...]) -> list[str]:
    """Lay `rows` out as aligned lines; each column at most its width, the last one free."""
    if not rows:
        return []
    columns = len(widths)
    actual = [
        min(widths[c], max(display_width(cell(row[c])) for row in rows)) for c in range(columns)
    ]
    lines = []
    for row in rows:
        cells = [fit_width(row[c], actual[c]) for c in range(columns)]
        lines.append("  ".join(cells).rstrip())
    return lines
