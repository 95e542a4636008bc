"""Log text as it enters the bot: progress-bar redraws folded, long lines cut, the tail bounded.

A pod's log is the outside world at its least polite: a tqdm bar writes thousands of `\\r` redraws
on one line, a tensor dump or a minified JSON is one line of megabytes. Everything downstream (the
watcher's digests, the likely-cause rules, Slack messages, files) sees only what these functions
let through, so its cost is bounded by the constants below, not by what a job printed.
"""

from __future__ import annotations

from collections.abc import Sequence

LINE_BYTES = 4096
"""Most UTF-8 bytes kept of one line, the cut marker included."""
TAIL_BYTES = 256 * 1024
"""Most UTF-8 bytes kept of one log tail (a newline counted per line); the newest lines stay."""
TAIL_LINES = 10_000
"""Most lines kept of one log tail, however short they are."""
ANSWER_BYTES = 2 << 20
"""Most bytes of one log answer read from AIHC: parsing it costs the event loop milliseconds."""

_MARK_HEAD = "…("
_MARK_TAIL = " more bytes)"


def last_state(line: str) -> str:
    """Return what a terminal last showed of `line`: the final non-blank `\\r` redraw."""
    # The redraw holding the last visible character is the last non-blank one; finding it with
    # string methods keeps a line of a million blank redraws as cheap as any other.
    visible = len(line.rstrip())
    if visible == 0:
        return ""
    start = line.rfind("\r", 0, visible) + 1
    end = line.find("\r", visible)
    return line[start : end if end >= 0 else len(line)]


def hidden_bytes(line: str) -> tuple[str, int]:
    """Split a line cut by `cap_line` into what is kept and how many bytes its marker hides."""
    if not line.endswith(_MARK_TAIL):
        return line, 0
    head = line.rfind(_MARK_HEAD)
    count = line[head + len(_MARK_HEAD) : -len(_MARK_TAIL)] if head >= 0 else ""
    if not count.isdigit() or not count.isascii():
        return line, 0
    return line[:head], int(count)


def cap_line(line: str, limit: int = LINE_BYTES) -> str:
    """Cut `line` to `limit` UTF-8 bytes, ending it with `…(N more bytes)` when anything went.

    Cutting a line cut before adds to its count, so the marker always says how much of the
    original line is not shown, and capping twice at the same limit changes nothing.
    """
    if len(line) * 4 <= limit:  # no character takes more than four bytes
        return line
    raw = line.encode("utf-8", "surrogatepass")
    if len(raw) <= limit:
        return line
    kept, hidden = hidden_bytes(line)
    kept_raw = kept.encode("utf-8", "surrogatepass")
    total = len(kept_raw) + hidden
    # The count can only shrink as more is kept, so a marker for `total` always has room.
    room = max(limit - len(_marker(total).encode()), 0)
    body = kept_raw[:room].decode("utf-8", "ignore")
    return body + _marker(total - len(body.encode("utf-8", "surrogatepass")))


def unread_line(limit: int) -> str:
    """Return the line shown for a log line too long to fetch at all."""
    return f"…(a line of more than {limit} bytes, not fetched)"


def _marker(count: int) -> str:
    return f"{_MARK_HEAD}{count}{_MARK_TAIL}"


def bound_lines(
    lines: Sequence[str], *, line_bytes: int = LINE_BYTES, tail_bytes: int = TAIL_BYTES
) -> tuple[str, ...]:
    """Return the newest lines, each folded to its last state and capped, within the tail bound."""
    kept: list[str] = []
    budget = tail_bytes
    # Newest first, so lines that fall outside the bound are never even looked at.
    for line in reversed(lines):
        if len(kept) >= TAIL_LINES:
            break
        shown = cap_line(last_state(line), line_bytes)
        raw = shown.encode("utf-8", "surrogatepass")
        if not shown.isascii():
            # A lone surrogate (JSON allows `\ud800`) would break every later encode: replace it.
            shown = shown.encode("utf-8", "replace").decode("utf-8")
        cost = len(raw) + 1
        if cost > budget:
            break
        kept.append(shown)
        budget -= cost
    kept.reverse()
    return tuple(kept)
