"""Charts as files beside an answer: the PNG, its title, its alt text, in the reader's language."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import timedelta

from bot import charts
from bot.domain import JobMetrics
from bot.slack.i18n import Lang, t
from bot.slack.render.fmt import duration
from bot.slack.render.metrics import formatter, has_data, is_percent, unit
from bot.slack.render.text import escape

MAX_ALT_TEXT = 1000
"""Slack refuses longer alt text (`alt_txt_too_large`)."""
MAX_NAME = 200
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class ChartFile:
    """A PNG to upload: its name, title, screen-reader text and the comment posted with it."""

    filename: str
    title: str
    png: bytes
    alt_text: str
    comment: str


def metrics_chart(
    metrics: JobMetrics, *, job: str, since: timedelta, lang: Lang
) -> ChartFile | None:
    """Draw one line per pod of `metrics` (None when no pod has data); CPU-bound, run it in a
    thread."""
    if not has_data(metrics):
        return None
    # Chinese labels only when a CJK font can draw them; English never needs one.
    lang = lang if charts.chart_fonts().has_cjk else "en"
    metric = metrics.metric_type.value
    span = duration(since.total_seconds(), lang=lang)
    title = t(lang, "metrics.chart_title", metric=metric, job=job, since=span)
    text = charts.LineChartText(
        title=title,
        y_label=t(lang, "metrics.chart_y", metric=metric, unit=unit(metrics.metric_type)),
        x_label=t(lang, "metrics.chart_x"),
        more_pods=t(lang, "metrics.more", count="{count}"),
        no_data=t(lang, "metrics.none"),
    )
    write = formatter(metrics.metric_type)
    png = charts.pod_lines_png(
        metrics.pods, text=text, value_text=write, floor_100=is_percent(metrics.metric_type)
    )
    values = [
        point.value
        for pod in metrics.pods
        for point in pod.points
        if point.value is not None and math.isfinite(point.value)
    ]
    alt = t(
        lang,
        "metrics.chart_alt",
        metric=metric,
        job=job,
        since=span,
        pods=len(metrics.pods),
        low=write(min(values)),
        high=write(max(values)),
    )
    filename = _UNSAFE.sub("_", f"{metrics.job_id or job}-{metric}")[:MAX_NAME] + ".png"
    return ChartFile(
        filename=filename,
        title=title[:MAX_NAME],
        png=png,
        alt_text=alt[:MAX_ALT_TEXT],
        comment=escape(title),
    )
