"""The `subscriptions` table and the short answers of the watching commands."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from bot.domain import MENTION_OWNER, Subscription
from bot.slack.i18n import Lang, t
from bot.slack.ids import ActionId
from bot.slack.render.blocks import button, context, section
from bot.slack.render.fmt import msg, stamp
from bot.slack.render.limits import Block

_PAUSED = {
    "is_archived": "watch.paused.archived",
    "channel_is_archived": "watch.paused.archived",
    "not_in_channel": "watch.paused.removed",
    "channel_not_found": "watch.paused.removed",
}
MAX_ROWS = 45
"""Sections in the table; a message holds 50 blocks, and a few go to the heading."""


def notices_text(kinds: Iterable[str], *, lang: Lang) -> str:
    """Return notice kinds as people read them, e.g. `status, events, hangs` (— for none)."""
    return t(lang, "watch.what_sep").join(t(lang, f"watch.what.{kind}") for kind in kinds) or "—"


def what_text(sub: Subscription, *, lang: Lang) -> str:
    """Return what a subscription notifies, in `NOTICE_KINDS` order."""
    return notices_text(sub.notices(), lang=lang)


def _row(sub: Subscription, *, now: datetime, lang: Lang) -> Block:
    kind = t(lang, f"watch.kind.{sub.target_kind.value}")
    lines = [msg(lang, "watch.row", kind=kind, ref=sub.target_ref, what=what_text(sub, lang=lang))]
    if sub.state_filter:
        lines.append(msg(lang, "watch.row_on", statuses=", ".join(sub.state_filter)))
    if sub.mention:
        who = t(lang, "watch.owner") if sub.mention == MENTION_OWNER else f"<@{sub.mention}>"
        lines.append(msg(lang, "watch.row_mention", who="{who}").replace("{who}", who))
    if sub.muted_until is not None and sub.is_muted(now):
        lines.append(":mute: " + msg(lang, "watch.row_muted", until=stamp(sub.muted_until)))
    if sub.paused_reason:
        reason = t(
            lang, _PAUSED.get(sub.paused_reason, "watch.paused.other"), code=sub.paused_reason
        )
        lines.append(":double_vertical_bar: " + msg(lang, "watch.row_paused", reason=reason))
    block = section("\n".join(lines))
    block["accessory"] = button(
        t(lang, "watch.remove"),
        action_id=ActionId.REMOVE_SUBSCRIPTION,
        value=str(sub.id),
        style="danger",
    )
    return block


def subscriptions_blocks(subs: Sequence[Subscription], *, now: datetime, lang: Lang) -> list[Block]:
    """Render the channel's subscriptions, each with a Remove button and any paused reason."""
    if not subs:
        return [section(msg(lang, "watch.none"))]
    blocks = [section(msg(lang, "watch.title", count=len(subs)))]
    blocks += [_row(sub, now=now, lang=lang) for sub in subs[:MAX_ROWS]]
    if len(subs) > MAX_ROWS:
        blocks.append(context(msg(lang, "list.rows_hidden", count=len(subs) - MAX_ROWS)))
    return blocks
