"""Events (warnings first), log tails and metric sparklines."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain import Event, JobMetrics, MetricPoint, MetricType, PodMetrics
from bot.slack.i18n import Lang
from bot.slack.render import (
    events_blocks,
    logs_blocks,
    logs_file_text,
    logs_fit,
    metrics_blocks,
    sparkline,
)
from tests.slack.render.visible import HOSTILE, NOW, assert_safe, mrkdwn, shown

LANGS: tuple[Lang, ...] = ("en", "zh")


def event(reason: str, minutes_ago: int, *, warning: bool = False, count: int = 1) -> Event:
    return Event(
        reason=reason,
        message=f"{reason} happened",
        type="Warning" if warning else "Normal",
        count=count,
        last_timestamp=NOW - timedelta(minutes=minutes_ago),
    )


def test_events_put_warnings_first_then_newest_first() -> None:
    events = [
        event("Scheduled", 30),
        event("BackOff", 20, warning=True),
        event("Started", 5),
        event("FailedMount", 10, warning=True, count=4),
    ]
    text = shown(events_blocks("Events of job x", events, now=NOW, lang="en"))
    order = [text.index(reason) for reason in ("FailedMount", "BackOff", "Started", "Scheduled")]
    assert order == sorted(order)
    assert "×4" in text
    assert "10m ago" in text
    assert "FailedMount happened" in text
    assert "Events: 4 · warnings: 2" in text


@pytest.mark.parametrize("lang", LANGS)
def test_no_events_says_so(lang: Lang) -> None:
    blocks = events_blocks("t", [], now=NOW, lang=lang)
    assert_safe(blocks)
    assert ("No events." if lang == "en" else "没有事件") in shown(blocks)


def test_a_thousand_events_are_cut_with_a_count() -> None:
    events = [event(f"Reason{i}", i, warning=i % 7 == 0) for i in range(1000)]
    blocks = events_blocks("t", events, now=NOW, lang="zh")
    assert_safe(blocks)
    text = shown(blocks)
    assert "… 另有 950 个事件" in text
    assert "Reason0 " in text


@pytest.mark.parametrize("hostile", HOSTILE)
def test_event_text_is_escaped(hostile: str) -> None:
    bad = Event(reason=hostile, message=hostile * 3, type="Warning", last_timestamp=NOW)
    blocks = events_blocks(hostile, [bad], now=NOW, lang="en")
    assert_safe(blocks)


def test_log_tail_shows_every_line_when_they_fit() -> None:
    lines = [f"step {i} loss 2.{i}" for i in range(20)]
    blocks = logs_blocks("Logs of pod x-master-0", lines, lang="en")
    assert_safe(blocks)
    assert logs_fit(lines)
    assert "step 0 loss 2.0\n" in shown(blocks)
    assert "Showing the last" not in shown(blocks)


def test_log_tail_keeps_the_last_lines_that_fit_and_says_so() -> None:
    lines = [f"step {i:05d} loss {i / 7:.6f} throughput 1234 tokens/s" for i in range(10_000)]
    blocks = logs_blocks("t", lines, lang="en")
    assert_safe(blocks)
    assert not logs_fit(lines)
    text = shown(blocks)
    assert text.rstrip().endswith("of 10000 lines.")
    assert "step 09999" in text
    assert "step 00000" not in text
    shown_count = int(text.split("Showing the last ")[1].split(" ")[0])
    assert 40 < shown_count < 100


def test_log_lines_stay_literal_in_rich_text_and_never_ping() -> None:
    lines = ["<!channel> NCCL timeout", "<@U123> & <http://evil|click>", "\x1b[31mred\x1b[0m"]
    blocks = logs_blocks("<!here>", lines, lang="en")
    assert_safe(blocks)
    rich = blocks[1]["elements"][0]["elements"][0]
    assert rich["type"] == "text"
    assert rich["text"] == "<!channel> NCCL timeout\n<@U123> & <http://evil|click>\nred"
    assert "&lt;!here&gt;" in mrkdwn(blocks)


def test_one_huge_line_is_cut_and_not_allowed_to_hide_the_rest() -> None:
    lines = ["x" * 50_000, "last line"]
    assert not logs_fit(lines)
    blocks = logs_blocks("t", lines, lang="zh")
    assert_safe(blocks)
    assert "last line" in shown(blocks)
    assert "…" in shown(blocks)


def test_blank_logs_still_make_a_valid_message() -> None:
    assert_safe(logs_blocks("t", ["", "  ", "\x00"], lang="en"))
    assert "No log lines." in shown(logs_blocks("t", [], lang="en"))


def test_logs_file_text_holds_every_line() -> None:
    assert logs_file_text(["a", "\x1b[1mb\x1b[0m"]) == "a\nb\n"


def test_sparkline_rises_with_the_values_and_leaves_gaps_for_missing_ones() -> None:
    assert sparkline([0, 1, 2, 3, 4, 5, 6, 7], low=0, high=7) == "▁▂▃▄▅▆▇█"
    assert sparkline([0, None, 7], low=0, high=7) == "▁ █"
    assert sparkline([3, 3], low=3, high=3) == "▅▅"


def test_sparkline_squeezes_long_series_to_its_width() -> None:
    assert len(sparkline([float(i) for i in range(1000)], low=0, high=999, width=40)) == 40


def metrics(kind: MetricType, *series: list[float | None]) -> JobMetrics:
    return JobMetrics(
        job_id="pytorchjob-1",
        metric_type=kind,
        pods=tuple(
            PodMetrics(
                pod_name=f"job-worker-{i}",
                points=tuple(MetricPoint(time=NOW, value=value) for value in values),
            )
            for i, values in enumerate(series)
        ),
    )


@pytest.mark.parametrize("lang", LANGS)
def test_metrics_show_one_sparkline_per_pod_with_min_avg_max(lang: Lang) -> None:
    blocks = metrics_blocks(metrics(MetricType.GPU_USAGE, [80, 90, 100], [None, None]), lang=lang)
    assert_safe(blocks)
    text = shown(blocks)
    expected = "min 80% · avg 90% · max 100%" if lang == "en" else "最小 80% · 平均 90% · 最大 100%"
    assert expected in text
    assert "job-worker-1" in text
    assert ("no data" if lang == "en" else "无数据") in text


@pytest.mark.parametrize(
    ("kind", "values", "unit"),
    [
        (MetricType.DISK_READ_RATE, [1024.0**2 * 3], "3 MiB/s"),
        (MetricType.GPU_TEMPERATURE, [71.0], "71°C"),
        (MetricType.GPU_POWER_USAGE, [350.0], "350 W"),
        (MetricType.MEMORY_ALLOCATION, [1024.0**3 * 200], "200 GiB"),
        (MetricType.RDMA_SEND_PACKETS_RATE, [2_000_000.0], "2,000,000/s"),
    ],
)
def test_metric_units_follow_the_metric_type(
    kind: MetricType, values: list[float | None], unit: str
) -> None:
    text = shown(metrics_blocks(metrics(kind, values), lang="en"))
    assert f"max {unit}" in text


@pytest.mark.parametrize("lang", LANGS)
def test_metrics_without_data_say_so(lang: Lang) -> None:
    blocks = metrics_blocks(metrics(MetricType.CPU_USAGE, [None], []), lang=lang)
    assert_safe(blocks)
    assert ("No data for this period." if lang == "en" else "没有数据") in shown(blocks)


def test_progress_bars_show_their_last_state_as_a_terminal_would() -> None:
    lines = ["epoch 1", " 10%|█         |\r 50%|█████     |\r100%|██████████|", "done"]
    text = shown(logs_blocks("t", lines, lang="en"))
    assert "100%|██████████|" in text
    assert " 10%" not in text
    assert logs_file_text(lines) == "epoch 1\n100%|██████████|\ndone\n"
