"""A channel's digest schedule in words: period, local time, zone and next run."""

from __future__ import annotations

from datetime import datetime, time

from bot.domain.digest import DigestPeriod
from bot.slack.i18n import Lang, t
from bot.slack.render.blocks import section
from bot.slack.render.fmt import msg
from bot.slack.render.limits import Block
from bot.slack.render.notify import zone_of


def _fields(
    period: DigestPeriod, at: time, zone: str, next_due: datetime, *, lang: Lang
) -> dict[str, str]:
    local = next_due.astimezone(zone_of(zone))
    return {
        "period": t(lang, f"digest.period.{period.value}"),
        "at": at.strftime("%H:%M"),
        "zone": zone,
        "next": local.strftime("%Y-%m-%d %H:%M"),
    }


def digest_scheduled_blocks(
    period: DigestPeriod, at: time, zone: str, next_due: datetime, *, lang: Lang
) -> list[Block]:
    """Say that the channel's digest is scheduled, and when it first goes out."""
    fields = _fields(period, at, zone, next_due, lang=lang)
    return [section(":calendar: " + msg(lang, "digest.scheduled", **fields))]


def digest_row_blocks(
    period: DigestPeriod, at: time, zone: str, next_due: datetime, *, lang: Lang
) -> list[Block]:
    """Render the channel's digest as a line of its subscriptions."""
    return [section(msg(lang, "digest.row", **_fields(period, at, zone, next_due, lang=lang)))]
