"""Live-shapes log pages: an answer holds at most a page of lines and names the next by marker.

Baidu's Go SDK reads `nextMarker` from a log answer and sends it back as `marker`
(services/aihc/api/v1/aiJob.go:353,368; services/aihc/resource/client.go:401). A marker here
names the last line already answered by its (time, order) key, so lines logged between two calls
neither repeat nor go missing.
"""

from __future__ import annotations

from aiohttp import web

from bot.simulator.errors import invalid
from bot.simulator.logs import Entry

_MAX_MARKER = 64


def marker_of(request: web.Request) -> tuple[float, int] | None:
    """Return the key a request's `marker` names, None when it sends none; 400 on nonsense."""
    return parse_marker(request.query.get("marker", ""))


def parse_marker(raw: str) -> tuple[float, int] | None:
    """Return the key a `marker` value names, None when empty; 400 on nonsense."""
    if not raw:
        return None
    at, sep, order = raw.partition(":")
    try:
        if len(raw) > _MAX_MARKER or not sep:
            raise ValueError(raw)
        return float.fromhex(at), int(order)
    except ValueError:
        raise invalid("marker is not one this service answered") from None


def page(entries: list[Entry], after: tuple[float, int] | None, size: int) -> tuple[list[str], str]:
    """Return the lines of the page that follows `after` and the marker of the next ('' at end)."""
    if after is not None:
        entries = [e for e in entries if (e[0], e[1]) > after]
    size = max(1, size)
    kept = entries[:size]
    if len(entries) <= size:
        return [e[2] for e in kept], ""
    last = kept[-1]
    return [e[2] for e in kept], f"{last[0].hex()}:{last[1]}"
