"""The `subscriptions` table and the short answers of the watching commands."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.slack.i18n import Lang, t
from bot.slack.ids import ActionId
from bot.slack.render.blocks import button, context, section
from bot.slack.render.fmt import msg, stamp
from bot.slack.render.limits import Block
from bot.store.tables import SubscriptionRow

_PAUSED = {
    "is_archived": "watch.paused.archived",
    "channel_is_archived": "watch.paused.archived",
    "not_in_channel": "watch.paused.removed",
    "channel_not_found": "watch.paused.removed",
}
MAX_ROWS = 45
"""Sections in the table; a message holds 50 blocks, and a few go to the heading."""


def what_text(row: SubscriptionRow, *, lang: Lang) -> str:
    """Return what a subscription notifies, e.g. `status, events`."""
    parts = [
        name
        for name, on in (
            ("status", row.notify_status),
            ("events", row.notify_events),
            ("logs", row.notify_logs),
        )
        if on
    ]
    return ", ".join(t(lang, f"watch.what.{part}") for part in parts) or "—"


def _row(row: SubscriptionRow, *, now: datetime, lang: Lang) -> Block:
    kind = t(lang, f"watch.kind.{row.target_kind.value}")
    lines = [msg(lang, "watch.row", kind=kind, ref=row.target_ref, what=what_text(row, lang=lang))]
    if row.state_filter:
        lines.append(msg(lang, "watch.row_on", statuses=", ".join(row.state_filter)))
    if row.mention:
        who = t(lang, "watch.owner") if row.mention == "owner" else f"<@{row.mention}>"
        lines.append(msg(lang, "watch.row_mention", who="{who}").replace("{who}", who))
    if row.muted_until is not None and row.muted_until > now:
        lines.append(":mute: " + msg(lang, "watch.row_muted", until=stamp(row.muted_until)))
    if row.paused_reason:
        reason = t(
            lang, _PAUSED.get(row.paused_reason, "watch.paused.other"), code=row.paused_reason
        )
        lines.append(":double_vertical_bar: " + msg(lang, "watch.row_paused", reason=reason))
    block = section("\n".join(lines))
    block["accessory"] = button(
        t(lang, "watch.remove"),
        action_id=ActionId.REMOVE_SUBSCRIPTION,
        value=str(row.id),
        style="danger",
    )
    return block


def subscriptions_blocks(
    rows: Sequence[SubscriptionRow], *, now: datetime, lang: Lang
) -> list[Block]:
    """Render the channel's subscriptions, each with a Remove button and any paused reason."""
    if not rows:
        return [section(msg(lang, "watch.none"))]
    blocks = [section(msg(lang, "watch.title", count=len(rows)))]
    blocks += [_row(row, now=now, lang=lang) for row in rows[:MAX_ROWS]]
    if len(rows) > MAX_ROWS:
        blocks.append(context(msg(lang, "list.rows_hidden", count=len(rows) - MAX_ROWS)))
    return blocks
