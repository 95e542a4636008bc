"""Job and pod events: warnings first, then newest first."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.domain import Event
from bot.slack.i18n import Lang
from bot.slack.render.blocks import context, mrkdwn_chunks, section
from bot.slack.render.fmt import ago, msg
from bot.slack.render.limits import Block
from bot.slack.render.text import bold, escape, one_line, truncate

MAX_EVENTS = 50
"""Events shown in one message; the rest are counted. 1,000 events would bury the warnings."""

MESSAGE_MAX = 600


def ordered_events(events: Sequence[Event]) -> list[Event]:
    """Order events warnings first, then newest first; undated ones last within each group."""

    def key(event: Event) -> tuple[bool, bool, float]:
        when = event.last_timestamp or event.first_timestamp
        return (not event.is_warning, when is None, -when.timestamp() if when else 0.0)

    return sorted(events, key=key)


def events_blocks(title: str, events: Sequence[Event], *, now: datetime, lang: Lang) -> list[Block]:
    """Render events under a raw `title`, warnings first, cut with "… and N more"."""
    blocks = [section(bold(title, 300))]
    if not events:
        return [*blocks, section(msg(lang, "events.none"))]
    warnings = sum(1 for event in events if event.is_warning)
    summary = msg(lang, "events.summary", count=len(events), warnings=warnings)
    blocks.append(context(summary))
    lines = [_line(event, now=now, lang=lang) for event in ordered_events(events)[:MAX_EVENTS]]
    chunks, used = mrkdwn_chunks(lines, max_blocks=40)
    blocks.extend(chunks)
    if used < len(events):
        blocks.append(context(msg(lang, "events.more", count=len(events) - used)))
    return blocks


def _line(event: Event, *, now: datetime, lang: Lang) -> str:
    icon = ":warning:" if event.is_warning else ":information_source:"
    parts = [f"{icon} {bold(event.reason or event.type or '—', 100)}"]
    if event.count > 1:
        parts.append(f"×{event.count}")
    when = event.last_timestamp or event.first_timestamp
    if when is not None:
        parts.append("· " + escape(ago(when, now=now, lang=lang)))
    text = truncate(escape(one_line(event.message)), MESSAGE_MAX)
    return " ".join(parts) + (f"\n{text}" if text else "")
