"""Training progress on a card: `step 16 / 500,000 (0.003 %) · 3.8 s/step · ETA 21d 23h`.

Only what the log said is shown: no total, no percent or ETA; no pace, no ETA; a loss line (the
latest value and a sparkline of the recent ones) only when a loss was read.
"""

from __future__ import annotations

import math

from bot.insight.progress import Progress, eta_seconds, percent
from bot.slack.i18n import Lang
from bot.slack.render.fmt import duration, msg, number
from bot.slack.render.metrics import sparkline

SEPARATOR = " · "
PERCENT_DIGITS = 6
"""Most decimals of a percentage: a run of a billion steps still shows its first one moving."""


def progress_lines(progress: Progress | None, *, lang: Lang) -> list[str]:
    """Return the card's progress lines (mrkdwn): the step line, the loss line, either or none."""
    if progress is None:
        return []
    return [
        line for line in (step_line(progress, lang=lang), loss_line(progress, lang=lang)) if line
    ]


def step_line(progress: Progress, *, lang: Lang) -> str | None:
    """Say the step, of what total, at what pace and when it will end; None without a step."""
    if progress.step is None:
        return None
    parts = []
    if progress.epoch is not None:
        parts.append(msg(lang, "progress.epoch", epoch=f"{progress.epoch:,}"))
    done = percent(progress)
    if progress.total is None or done is None:
        parts.append(msg(lang, "progress.step", step=f"{progress.step:,}"))
    else:
        parts.append(
            msg(
                lang,
                "progress.step_of",
                step=f"{progress.step:,}",
                total=f"{progress.total:,}",
                percent=percent_text(done),
            )
        )
    if progress.secs_per_step is not None:
        parts.append(msg(lang, "progress.pace", secs=pace_text(progress.secs_per_step)))
    left = eta_seconds(progress)
    if left is not None:
        parts.append(msg(lang, "progress.eta", duration=duration(left, lang=lang)))
    return SEPARATOR.join(parts)


def loss_line(progress: Progress, *, lang: Lang) -> str | None:
    """Show the latest loss and a sparkline of the recent ones; None without a loss."""
    if progress.loss is None:
        return None
    values = progress.losses or (progress.loss,)
    spark = sparkline(values, low=min(values), high=max(values), width=len(values))
    return msg(lang, "progress.loss", loss=number(progress.loss), spark=spark)


def percent_text(value: float) -> str:
    """Write a percentage to its first significant digit, never rounded up: `0.003`, `45`."""
    if value >= 10 or value <= 0:
        return str(int(value))
    decimals = min(PERCENT_DIGITS, max(1, -math.floor(math.log10(value))))
    scale = 10**decimals
    return f"{math.floor(value * scale) / scale:.{decimals}f}"


def pace_text(secs: float) -> str:
    """Write seconds per step to two significant digits: `3.8`, `0.19`, `42`, `1,250`."""
    if secs >= 10:
        return f"{round(secs):,}"
    if secs >= 1:
        return f"{secs:.1f}"
    return f"{secs:.2g}"
