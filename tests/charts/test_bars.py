"""Digest charts are valid PNGs of the promised size, the same bytes each time, whose Chinese
labels and queue names draw without tofu."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime, timedelta

from bot.charts.bars import HEIGHT_PX, MAX_SERIES, WIDTH_PX, DigestChartText, digest_bars_png
from bot.charts.fonts import LATIN, FontSet, font_set
from bot.domain.digest import Digest, DigestDay, DigestPeriod, OutcomeCount, QueueHours
from tests.charts.test_lines import png_size

END = datetime(2026, 5, 8, 1, 0, tzinfo=UTC)
ZH = DigestChartText(
    title="每周摘要 · 2026-05-01 至 2026-05-08",
    hours_title="每日 GPU 时（按队列）",
    hours_y="GPU 时",
    outcomes_title="每日结束的任务（按结果）",
    outcomes_y="任务数",
    other="其他队列",
    no_data="这段时间内没有数据。",
    outcomes={"Succeeded": "成功", "Failed": "失败"},
)
EN = DigestChartText(
    title="Weekly digest",
    hours_title="GPU-hours per day, by queue",
    hours_y="GPU-hours",
    outcomes_title="Jobs finished per day, by outcome",
    outcomes_y="Jobs",
    other="other queues",
    no_data="Nothing in this period.",
    outcomes={"Succeeded": "Succeeded", "Failed": "Failed"},
)


def week(queues: int, *, queue: str = "queue") -> Digest:
    """A week whose every day has GPU-hours in `queues` queues and a few jobs finished."""
    days = [
        DigestDay(
            start=END - timedelta(days=7 - i),
            gpu_hours=[
                QueueHours(pool="llm-pool", queue=f"{queue}-{j}", gpu_hours=float(1 + i + j))
                for j in range(queues)
            ],
            outcomes=[
                OutcomeCount(status="Succeeded", count=i),
                OutcomeCount(status="Failed", count=i % 2),
            ],
        )
        for i in range(7)
    ]
    return Digest(period=DigestPeriod.WEEKLY, start=END - timedelta(days=7), end=END, days=days)


def labels(digest: Digest) -> list[str]:
    return [day.start.strftime("%m-%d") for day in digest.days]


def draw_strict(digest: Digest, text: DigestChartText, fonts: FontSet | None = None) -> bytes:
    """Draw with every warning an error: a missing glyph warns, and must not happen."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return digest_bars_png(digest, text=text, day_labels=labels(digest), fonts=fonts)


def test_a_digest_chart_is_a_png_of_the_promised_size_and_always_the_same() -> None:
    digest = week(3)
    data = draw_strict(digest, EN)
    assert png_size(data) == (WIDTH_PX, HEIGHT_PX)
    assert len(data) < 400_000
    assert draw_strict(digest, EN) == data


def test_chinese_labels_and_queue_names_draw_with_a_cjk_font() -> None:
    fonts = font_set()
    assert fonts.has_cjk, "no CJK font: run scripts/system-packages test"
    assert all(fonts.draws(label) for label in (ZH.title, ZH.hours_title, ZH.other, "训练队列-0"))
    data = draw_strict(week(2, queue="训练队列"), ZH)
    assert png_size(data) == (WIDTH_PX, HEIGHT_PX)


def test_without_a_cjk_font_chinese_becomes_question_marks_not_boxes() -> None:
    data = draw_strict(week(2, queue="训练"), ZH, fonts=font_set([LATIN]))
    assert png_size(data) == (WIDTH_PX, HEIGHT_PX)


def test_many_queues_are_drawn_as_the_largest_and_the_rest() -> None:
    many = draw_strict(week(MAX_SERIES + 12), EN)
    assert png_size(many) == (WIDTH_PX, HEIGHT_PX)
    assert many != draw_strict(week(MAX_SERIES), EN)


def test_an_empty_day_draws_the_no_data_note() -> None:
    empty = Digest(
        period=DigestPeriod.DAILY,
        start=END - timedelta(days=1),
        end=END,
        days=[DigestDay(start=END - timedelta(days=1))],
    )
    assert png_size(draw_strict(empty, ZH)) == (WIDTH_PX, HEIGHT_PX)
