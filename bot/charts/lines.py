"""One metric per pod over time, a line per pod, drawn to PNG bytes with matplotlib's Agg."""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ticker import FuncFormatter
from PIL import Image

from bot.charts.fonts import FontSet, font_set
from bot.charts.labels import LineChartText
from bot.domain import PodMetrics

WIDTH_PX, HEIGHT_PX, DPI = 1200, 640, 100
"""The PNG's size: wide enough for a laptop screen, small enough for a phone to scale down."""
MAX_PODS = 64
"""Most lines drawn; more are said in the legend, not drawn into a scribble."""
MAX_POINTS = 720
"""Most points per line; a longer series is averaged down, which a 1200 px plot cannot show."""
PALETTE = 128
"""Colours in the PNG: lines on white need few, and a palette PNG is a third the size."""
LEGEND_ROWS = 16
"""Most legend entries; the rest are summed up in one last entry."""
MAX_LABEL = 120
"""Most characters of any label drawn (titles and pod names come from AIHC and users)."""

_draw_lock = threading.Lock()


def pod_lines_png(
    pods: Sequence[PodMetrics],
    *,
    text: LineChartText,
    value_text: Callable[[float], str],
    floor_100: bool = False,
    fonts: FontSet | None = None,
) -> bytes:
    """Draw one line per pod (value over time) with legend, labelled axes and title; PNG bytes.

    `value_text` writes a tick value with its unit; `floor_100` keeps a percent axis at 0–100.
    """
    fonts = fonts or font_set()
    series = [_series(pod) for pod in pods[:MAX_PODS]]
    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    canvas = FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    prop = FontProperties(family=list(fonts.families), size=10)
    drawn = 0
    for pod, (times, values) in zip(pods, series, strict=False):
        if any(not math.isnan(v) for v in values):
            label = _short(fonts.legible(pod.pod_name))
            axes.plot(times, values, linewidth=1.2, label=label)
            drawn += 1
    _axes_text(axes, text=text, prop=prop, fonts=fonts)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: value_text(value)))
    if drawn == 0:
        axes.text(0.5, 0.5, fonts.legible(text.no_data), ha="center", fontproperties=prop)
    else:
        _time_axis(axes)
        low, high = axes.get_ylim()
        axes.set_ylim(0 if floor_100 else low, max(high, 100) if floor_100 else high)
        _legend(axes, drawn=drawn, total=len(pods), text=text, prop=prop, fonts=fonts)
    figure.tight_layout()
    return _png(canvas)


def _png(canvas: FigureCanvasAgg) -> bytes:
    """Rasterise the figure and write it as a 128-colour palette PNG (a third of full colour)."""
    # One chart at a time: matplotlib's text layout caches are shared across threads.
    raw = io.BytesIO()
    with _draw_lock:
        canvas.figure.savefig(raw, format="rgba", dpi=DPI)
    image = Image.frombytes("RGBA", canvas.get_width_height(), raw.getvalue())
    palette = image.convert("RGB").quantize(colors=PALETTE, method=Image.Quantize.FASTOCTREE)
    buffer = io.BytesIO()
    palette.save(buffer, format="PNG")
    return buffer.getvalue()


def _series(pod: PodMetrics) -> tuple[list[float], list[float]]:
    """Return the pod's dated samples, in time order, averaged down to MAX_POINTS."""
    points = sorted(
        (_utc(p.time), p.value if p.value is not None and math.isfinite(p.value) else math.nan)
        for p in pod.points
        if p.time is not None
    )
    if len(points) <= MAX_POINTS:
        return [_days(when) for when, _ in points], [value for _, value in points]
    times: list[float] = []
    values: list[float] = []
    for i in range(MAX_POINTS):
        part = points[i * len(points) // MAX_POINTS : (i + 1) * len(points) // MAX_POINTS]
        finite = [value for _, value in part if not math.isnan(value)]
        times.append(_days(part[len(part) // 2][0]))
        values.append(sum(finite) / len(finite) if finite else math.nan)
    return times, values


def _axes_text(axes: Axes, *, text: LineChartText, prop: FontProperties, fonts: FontSet) -> None:
    title = FontProperties(family=list(fonts.families), size=13, weight="bold")
    axes.set_title(_short(fonts.legible(text.title)), fontproperties=title, loc="left")
    axes.set_ylabel(_short(fonts.legible(text.y_label)), fontproperties=prop)
    axes.set_xlabel(_short(fonts.legible(text.x_label)), fontproperties=prop)
    axes.grid(visible=True, alpha=0.3)


def _time_axis(axes: Axes) -> None:
    # matplotlib's stubs leave these two constructors untyped.
    locator = AutoDateLocator(tz=UTC)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator, tz=UTC))  # type: ignore[no-untyped-call]


def _legend(
    axes: Axes, *, drawn: int, total: int, text: LineChartText, prop: FontProperties, fonts: FontSet
) -> None:
    handles, labels = axes.get_legend_handles_labels()
    shown = drawn if drawn <= LEGEND_ROWS else LEGEND_ROWS - 1
    handles, labels = handles[:shown], labels[:shown]
    if total > shown:
        handles.append(axes.plot([], [], linestyle="none")[0])
        labels.append(fonts.legible(text.more_pods.format(count=total - shown)))
    axes.legend(
        handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), prop=prop, frameon=False
    )


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _days(when: datetime) -> float:
    """Return matplotlib's date number: days since its default epoch, 1970-01-01 UTC."""
    return when.timestamp() / 86_400


def _utc(when: datetime) -> datetime:
    # AIHC sends offsets; a naive datetime here can only have come from a UTC source.
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
