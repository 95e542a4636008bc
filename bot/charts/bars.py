"""A digest's chart: GPU-hours per day per queue and jobs finished per day by outcome, as two
panels of stacked bars in one PNG, drawn with matplotlib's Agg."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ticker import MaxNLocator

from bot.charts.fonts import FontSet, font_set
from bot.charts.lines import DPI, MAX_LABEL, _png
from bot.domain.digest import Digest, QueueHours

WIDTH_PX, HEIGHT_PX = 1200, 800
"""The PNG's size: two panels, one above the other."""
MAX_SERIES = 8
"""Queues drawn as their own colour; the rest are stacked as one "other" bar."""
COLOURS = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#9c755f",
    "#bab0ac",
    "#d3d3d3",
)
"""Queue colours in order (Tableau 10, colour-blind friendly); the last is "other"."""
OUTCOME_COLOURS = {
    "Succeeded": "#59a14f",
    "Failed": "#e15759",
    "ManualTermination": "#bab0ac",
    "Stopped": "#9c755f",
    "Cancelled": "#76b7b2",
}
"""Outcomes in the order they are stacked, each in its colour; others come after, in grey."""


@dataclass(frozen=True)
class DigestChartText:
    """The words on a digest's chart, already in the reader's language."""

    title: str
    hours_title: str
    hours_y: str
    outcomes_title: str
    outcomes_y: str
    other: str
    """The legend entry of the queues past `MAX_SERIES`."""
    no_data: str
    outcomes: Mapping[str, str]
    """Each status's name (`Failed` → "Failed" / "失败")."""


def digest_bars_png(
    digest: Digest,
    *,
    text: DigestChartText,
    day_labels: Sequence[str],
    fonts: FontSet | None = None,
) -> bytes:
    """Draw the digest's GPU-hours per day per queue and its outcomes per day; PNG bytes.

    `day_labels` name the digest's days in order (in the reader's time zone: the caller's).
    """
    fonts = fonts or font_set()
    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    canvas = FigureCanvasAgg(figure)
    hours_axes, outcome_axes = figure.subplots(2, 1)
    labels = [_short(fonts.legible(label)) for label in day_labels[: len(digest.days)]]
    labels += [""] * (len(digest.days) - len(labels))
    prop = FontProperties(family=list(fonts.families), size=10)
    bold = FontProperties(family=list(fonts.families), size=13, weight="bold")
    figure.suptitle(_short(fonts.legible(text.title)), fontproperties=bold, x=0.01, ha="left")
    _stack(hours_axes, labels, _hours_series(digest, text, fonts), prop=prop, fonts=fonts)
    _titles(hours_axes, text.hours_title, text.hours_y, text.no_data, prop=prop, fonts=fonts)
    _stack(outcome_axes, labels, _outcome_series(digest, text, fonts), prop=prop, fonts=fonts)
    _titles(
        outcome_axes, text.outcomes_title, text.outcomes_y, text.no_data, prop=prop, fonts=fonts
    )
    outcome_axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    figure.tight_layout()
    return _png(canvas)


Series = list[tuple[str, str, list[float]]]
"""Stacked series: legend label, colour, one value per day."""


def _hours_series(digest: Digest, text: DigestChartText, fonts: FontSet) -> Series:
    """Return GPU-hours per day of the queues with most hours, the rest summed as "other"."""
    ranked = digest.queue_hours
    named = {(part.pool, part.queue) for part in ranked[:MAX_SERIES]}
    several_pools = len({part.pool for part in ranked}) > 1
    series: Series = []
    for index, part in enumerate(ranked[:MAX_SERIES]):
        values = [_hours(day.gpu_hours, part.pool, part.queue) for day in digest.days]
        label = f"{part.pool} · {part.queue}" if several_pools else part.queue
        series.append((_short(fonts.legible(label)), COLOURS[index], values))
    if len(ranked) > MAX_SERIES:
        rest = [
            sum(p.gpu_hours for p in day.gpu_hours if (p.pool, p.queue) not in named)
            for day in digest.days
        ]
        series.append((fonts.legible(text.other), COLOURS[-1], rest))
    return series


def _hours(parts: Sequence[QueueHours], pool: str, queue: str) -> float:
    return sum(p.gpu_hours for p in parts if (p.pool, p.queue) == (pool, queue))


def _outcome_series(digest: Digest, text: DigestChartText, fonts: FontSet) -> Series:
    """Return jobs finished per day for each outcome seen, known outcomes first."""
    seen = {part.status for day in digest.days for part in day.outcomes}
    order = [s for s in OUTCOME_COLOURS if s in seen] + sorted(seen - set(OUTCOME_COLOURS))
    series: Series = []
    for status in order:
        values = [
            float(sum(p.count for p in day.outcomes if p.status == status)) for day in digest.days
        ]
        label = _short(fonts.legible(text.outcomes.get(status, status)))
        series.append((label, OUTCOME_COLOURS.get(status, "#d3d3d3"), values))
    return series


def _stack(
    axes: Axes, labels: Sequence[str], series: Series, *, prop: FontProperties, fonts: FontSet
) -> None:
    """Draw `series` as bars stacked per day, with a legend beside the panel."""
    positions = list(range(len(labels)))
    bottom = [0.0] * len(labels)
    for label, colour, values in series:
        axes.bar(positions, values, bottom=bottom, label=label, color=colour, width=0.7)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_xticks(positions, labels, fontproperties=prop)
    axes.set_xlim(-0.6, max(len(labels), 1) - 0.4)
    axes.grid(visible=True, axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    if any(bottom):
        # Top of the legend is top of the stack, as the eye reads both.
        handles, names = axes.get_legend_handles_labels()
        axes.legend(
            handles[::-1],
            names[::-1],
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            prop=prop,
            frameon=False,
        )


def _titles(
    axes: Axes,
    title: str,
    y_label: str,
    no_data: str,
    *,
    prop: FontProperties,
    fonts: FontSet,
) -> None:
    """Title and label a panel; say so on it when it has nothing to show."""
    heading = FontProperties(family=list(fonts.families), size=11, weight="bold")
    axes.set_title(_short(fonts.legible(title)), fontproperties=heading, loc="left")
    axes.set_ylabel(_short(fonts.legible(y_label)), fontproperties=prop)
    if not axes.patches or not any(p.get_height() for p in axes.patches):  # type: ignore[attr-defined]
        axes.text(
            0.5,
            0.5,
            fonts.legible(no_data),
            ha="center",
            va="center",
            transform=axes.transAxes,
            fontproperties=prop,
        )


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"
