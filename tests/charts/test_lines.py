"""Metric charts are valid PNGs of the promised size whose Chinese labels draw without tofu."""

from __future__ import annotations

import struct
import warnings
from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.charts.fonts import LATIN, FontSet, font_set
from bot.charts.labels import LineChartText
from bot.charts.lines import HEIGHT_PX, WIDTH_PX, pod_lines_png
from bot.domain import MetricPoint, PodMetrics

START = datetime(2026, 5, 1, 11, 0, tzinfo=UTC)
ZH = LineChartText(
    title="任务「训练-七」的 GPU 利用率",
    y_label="GPU 利用率 (%)",
    x_label="时间 (UTC)",
    more_pods="… 另有 {count} 个 Pod",
    no_data="该时间段内没有数据。",
)
EN = LineChartText(
    title="GPU usage of job train-7",
    y_label="GPU usage (%)",
    x_label="Time (UTC)",
    more_pods="… and {count} more pods",
    no_data="No data for this period.",
)


def pods(count: int, points: int, name: str = "worker") -> list[PodMetrics]:
    """Pods whose usage ramps from 10 % up, one sample every 10 s."""
    return [
        PodMetrics(
            pod_name=f"{name}-{i}",
            points=tuple(
                MetricPoint(time=START + timedelta(seconds=10 * j), value=10 + (j + i) % 80)
                for j in range(points)
            ),
        )
        for i in range(count)
    ]


def png_size(data: bytes) -> tuple[int, int]:
    """Check the PNG signature and the IHDR chunk; return width and height."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (length, kind) == (13, b"IHDR")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def percent(value: float) -> str:
    return f"{value:.0f}%"


def draw_strict(
    series: list[PodMetrics],
    text: LineChartText,
    *,
    floor_100: bool = False,
    fonts: FontSet | None = None,
) -> bytes:
    """Draw with every warning an error: a missing glyph warns, and must not happen."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return pod_lines_png(
            series, text=text, value_text=percent, floor_100=floor_100, fonts=fonts
        )


def test_a_chart_is_a_png_of_the_promised_size() -> None:
    data = draw_strict(pods(8, 48), EN, floor_100=True)
    assert png_size(data) == (WIDTH_PX, HEIGHT_PX)
    assert len(data) < 400_000


def test_chinese_labels_and_pod_names_draw_with_a_cjk_font() -> None:
    fonts = font_set()
    assert fonts.has_cjk, "no CJK font: run scripts/system-packages test"
    assert all(fonts.draws(label) for label in (ZH.title, ZH.y_label, ZH.x_label, "训练-0"))
    data = draw_strict(pods(3, 48, name="训练"), ZH, floor_100=True)
    assert png_size(data) == (WIDTH_PX, HEIGHT_PX)


def test_without_a_cjk_font_characters_become_question_marks_not_boxes() -> None:
    latin = font_set([LATIN])
    assert not latin.has_cjk
    assert latin.legible("GPU 利用率 (%)") == "GPU ??? (%)"
    data = draw_strict(pods(2, 10, name="训练"), ZH, fonts=latin)
    assert png_size(data) == (WIDTH_PX, HEIGHT_PX)


def test_matplotlib_does_warn_about_a_missing_glyph() -> None:
    """The premise of the tests above: a glyph no font has is a warning, not silence."""
    figure = Figure()
    FigureCanvasAgg(figure)
    figure.suptitle("利用率", family=LATIN)
    with pytest.warns(UserWarning, match="missing from font"):
        figure.savefig(BytesIO(), format="png")


def test_sixty_four_pods_and_long_series_stay_bounded() -> None:
    data = draw_strict(pods(64, 2_000), EN, floor_100=True)
    assert png_size(data) == (WIDTH_PX, HEIGHT_PX)
    assert len(data) < 400_000


def test_pods_without_data_draw_the_no_data_note() -> None:
    empty = [PodMetrics(pod_name="worker-0", points=(MetricPoint(time=START, value=None),))]
    data = draw_strict(empty, ZH)
    assert png_size(data) == (WIDTH_PX, HEIGHT_PX)
