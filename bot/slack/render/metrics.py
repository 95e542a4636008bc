"""Metrics: one Unicode sparkline per pod with min, average and max in the metric's unit."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from bot.domain import JobMetrics, MetricType, PodMetrics
from bot.slack.i18n import Lang, t
from bot.slack.render.blocks import context, preformatted_chunks, section
from bot.slack.render.fmt import human_bytes, msg, number
from bot.slack.render.limits import MAX_BLOCKS, Block
from bot.slack.render.text import table

BARS = "▁▂▃▄▅▆▇█"
WIDTH = 40
"""Sparkline columns: wide enough to show a trend, narrow enough not to wrap on a laptop."""

M = MetricType
_PERCENT = frozenset(
    {M.GPU_USAGE, M.GPU_MEMORY_USAGE, M.CPU_USAGE, M.MEMORY_USAGE, M.GPU_PIPE_TENSOR_USAGE}
)
_BYTE_RATES = frozenset(
    {
        M.DISK_READ_RATE,
        M.DISK_WRITE_RATE,
        M.RDMA_SEND_DATA_RATE,
        M.RDMA_RECV_DATA_RATE,
        M.PCIE_SEND_DATA_RATE,
        M.PCIE_RECV_DATA_RATE,
        M.NVLINK_SEND_DATA_RATE,
        M.NVLINK_RECV_DATA_RATE,
    }
)
_PER_SECOND = frozenset(
    {
        M.RDMA_SEND_ERROR_RATE,
        M.RDMA_RECV_ERROR_RATE,
        M.RDMA_SEND_PACKETS_RATE,
        M.RDMA_RECV_PACKETS_RATE,
    }
)


def formatter(metric: MetricType) -> Callable[[float], str]:
    """Return how to write one value of `metric` with its unit."""
    if metric in _PERCENT:
        return lambda value: f"{number(round(value, 1))}%"
    if metric in _BYTE_RATES:
        return lambda value: f"{human_bytes(round(value))}/s"
    if metric in _PER_SECOND:
        return lambda value: f"{number(value)}/s"
    if metric is M.MEMORY_ALLOCATION:
        return lambda value: human_bytes(round(value))
    if metric is M.GPU_TEMPERATURE:
        return lambda value: f"{number(round(value, 1))}°C"
    if metric is M.GPU_POWER_USAGE:
        return lambda value: f"{number(round(value, 1))} W"
    return number


def unit(metric: MetricType) -> str:
    """Return the unit `formatter` writes `metric`'s values in, for an axis label."""
    if metric in _PERCENT:
        return "%"
    if metric in _BYTE_RATES:
        return "B/s"
    if metric in _PER_SECOND:
        return "/s"
    if metric is M.MEMORY_ALLOCATION:
        return "B"
    if metric is M.GPU_TEMPERATURE:
        return "°C"
    if metric is M.GPU_POWER_USAGE:
        return "W"
    return "1"


def is_percent(metric: MetricType) -> bool:
    """Say whether `metric` is a share from 0 to 100 (its axis then spans at least that)."""
    return metric in _PERCENT


def has_data(metrics: JobMetrics) -> bool:
    """Say whether any pod has at least one finite value."""
    return any(_finite([p.value for p in pod.points]) for pod in metrics.pods)


def _finite(values: Sequence[float | None]) -> list[float]:
    return [v for v in values if v is not None and math.isfinite(v)]


def _buckets(values: Sequence[float | None], width: int) -> list[float | None]:
    """Average `values` into at most `width` buckets; a bucket with no data stays None."""
    if len(values) <= width:
        return [v if v is not None and math.isfinite(v) else None for v in values]
    out: list[float | None] = []
    for i in range(width):
        part = _finite(values[i * len(values) // width : (i + 1) * len(values) // width])
        out.append(sum(part) / len(part) if part else None)
    return out


def sparkline(
    values: Sequence[float | None], *, low: float, high: float, width: int = WIDTH
) -> str:
    """Draw `values` as bars between `low` and `high`; a missing value is a space."""
    span = high - low
    chars = []
    for value in _buckets(values, width):
        if value is None:
            chars.append(" ")
        elif span <= 0:
            chars.append(BARS[len(BARS) // 2])
        else:
            level = (min(max(value, low), high) - low) / span
            chars.append(BARS[min(len(BARS) - 1, int(level * len(BARS)))])
    return "".join(chars)


def _scale(metric: MetricType, pods: Sequence[PodMetrics]) -> tuple[float, float]:
    # One scale for every pod, so a slow pod looks lower than its peers instead of alike.
    values = _finite([point.value for pod in pods for point in pod.points])
    low, high = (min(values), max(values)) if values else (0.0, 0.0)
    if metric in _PERCENT:
        return 0.0, max(100.0, high)
    return low, high


def metrics_blocks(metrics: JobMetrics, *, lang: Lang) -> list[Block]:
    """Render one sparkline per pod with min, avg and max, or say there is no data."""
    title = msg(lang, "metrics.title", metric=metrics.metric_type.value, job=metrics.job_id or "—")
    blocks = [section(title)]
    if not has_data(metrics):
        return [*blocks, section(msg(lang, "metrics.none"))]
    low, high = _scale(metrics.metric_type, metrics.pods)
    write = formatter(metrics.metric_type)
    rows = [_row(pod, low=low, high=high, write=write, lang=lang) for pod in metrics.pods]
    lines = table(rows, (40, WIDTH, 60))
    chunks, used = preformatted_chunks(lines, max_blocks=MAX_BLOCKS - 4)
    blocks.extend(chunks)
    if used < len(lines):
        blocks.append(context(msg(lang, "metrics.more", count=len(lines) - used)))
    blocks.append(context(msg(lang, "metrics.scale", low=write(low), high=write(high))))
    return blocks


def _row(
    pod: PodMetrics, *, low: float, high: float, write: Callable[[float], str], lang: Lang
) -> tuple[str, str, str]:
    values = [point.value for point in pod.points]
    data = _finite(values)
    if not data:
        return (pod.pod_name, " " * min(WIDTH, len(values)), t(lang, "metrics.pod_none"))
    stats = t(
        lang,
        "metrics.stats",
        min=write(min(data)),
        avg=write(sum(data) / len(data)),
        max=write(max(data)),
    )
    return (pod.pod_name, sparkline(values, low=low, high=high), stats)
