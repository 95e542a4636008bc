"""Human formats: durations, ages, timestamps, byte sizes and queue quantities."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from bot.domain import GIB, memory_gib
from bot.slack.i18n import Lang, t
from bot.slack.render.text import escape

_UNITS = (("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1))
_BYTE_UNITS = ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB")


def duration(seconds: float, *, lang: Lang) -> str:
    """Say how long `seconds` is with its two largest units, e.g. `3h 12m`."""
    remaining = max(0, int(seconds))
    counts: list[tuple[str, int]] = []
    for unit, size in _UNITS:
        count, remaining = divmod(remaining, size)
        if count or counts:
            counts.append((unit, count))
        if len(counts) == 2:
            break
    shown = [(unit, count) for unit, count in counts if count] or [("s", 0)]
    return " ".join(t(lang, f"unit.{unit}", n=count) for unit, count in shown)


def between(start: datetime, end: datetime, *, lang: Lang) -> str:
    """Say how long passed from `start` to `end`."""
    return duration((_utc(end) - _utc(start)).total_seconds(), lang=lang)


def ago(then: datetime, *, now: datetime, lang: Lang) -> str:
    """Say how long ago `then` was, relative to `now`."""
    seconds = (_utc(now) - _utc(then)).total_seconds()
    if seconds < 1:
        return t(lang, "time.just_now")
    return t(lang, "time.ago", duration=duration(seconds, lang=lang))


def stamp(when: datetime) -> str:
    """Write `when` in UTC to the minute, e.g. `2026-11-26 22:53 UTC`."""
    return _utc(when).strftime("%Y-%m-%d %H:%M UTC")


def stamp_ago(when: datetime | None, *, now: datetime, lang: Lang) -> str:
    """Write `when` with how long ago it was; a dash when unknown."""
    if when is None:
        return "—"
    return f"{stamp(when)} ({ago(when, now=now, lang=lang)})"


def _utc(when: datetime) -> datetime:
    # AIHC sends offsets; a naive datetime here can only have come from a UTC source.
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def human_bytes(count: float) -> str:
    """Write a byte count in binary units, e.g. `534 GiB`."""
    value = float(count)
    for unit in _BYTE_UNITS:
        if abs(value) < 1024 or unit == _BYTE_UNITS[-1]:
            return f"{_number(value)} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def _number(value: float) -> str:
    if value == int(value):
        return str(int(value))
    return f"{value:.1f}" if abs(value) < 10 else f"{value:.0f}"


def number(value: float) -> str:
    """Write a number briefly: integers plainly, others to three significant digits."""
    if not math.isfinite(value):
        return str(value)
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def quantity(resource: str, raw: str) -> str:
    """Write a queue quota: memory in binary units (GiB unless unmistakably bytes), else as given.

    The rule that tells bytes from GiB is `bot.domain.quantity`'s.
    """
    if "memory" in resource.lower():
        gib = memory_gib(raw)
        return raw if gib is None else human_bytes(gib * GIB)
    try:
        value = float(raw)
    except ValueError:
        return raw
    if not math.isfinite(value):
        return raw
    return number(value)


def msg(lang: Lang, key: str, **params: object) -> str:
    """Return message `key` as escaped mrkdwn; raw `params` cannot end a code span early."""
    safe = {name: _defuse(value) for name, value in params.items()}
    return escape(t(lang, key, **safe))


def _defuse(value: object) -> object:
    # Catalogue templates wrap names in backticks; a backtick inside one would end the span.
    # A newline would break a span too; parameters are always inline.
    if isinstance(value, str):
        return " ".join(value.replace("`", "ˋ").split())
    return value
