"""Per-pod metric series for every metric type the document lists, sampled on the job's clock.

GPU utilisation follows what the job does: high while it trains, 0 while it hangs, about 0 idle.
"""

from __future__ import annotations

from bot.domain import JobStatus, MetricType
from bot.simulator.behaviour import is_hung, is_idle
from bot.simulator.errors import invalid
from bot.simulator.ids import unit_noise
from bot.simulator.lifecycle import status_at
from bot.simulator.model import Job

MAX_POINTS = 11_000
"""Prometheus refuses a range query longer than this many steps; so does the simulator."""

M = MetricType
_RANGES: dict[MetricType, tuple[float, float]] = {
    M.GPU_USAGE: (82, 99),
    M.GPU_MEMORY_USAGE: (60, 95),
    M.CPU_USAGE: (15, 60),
    M.MEMORY_USAGE: (30, 70),
    M.DISK_READ_RATE: (1e6, 5e7),
    M.DISK_WRITE_RATE: (1e5, 1e8),
    M.RDMA_SEND_DATA_RATE: (5e9, 2e10),
    M.RDMA_RECV_DATA_RATE: (5e9, 2e10),
    M.PCIE_SEND_DATA_RATE: (1e9, 1e10),
    M.PCIE_RECV_DATA_RATE: (1e9, 1e10),
    M.NVLINK_SEND_DATA_RATE: (5e10, 2e11),
    M.NVLINK_RECV_DATA_RATE: (5e10, 2e11),
    M.GPU_TEMPERATURE: (55, 81),
    M.GPU_POWER_USAGE: (250, 400),
    M.GPU_PIPE_TENSOR_USAGE: (30, 70),
    M.RDMA_HEALTH: (1, 1),
    M.RDMA_SEND_ERROR_RATE: (0, 0.2),
    M.RDMA_RECV_ERROR_RATE: (0, 0.2),
    M.RDMA_SEND_PACKETS_RATE: (1e6, 5e6),
    M.RDMA_RECV_PACKETS_RATE: (1e6, 5e6),
    M.CPU_TIME: (2, 40),
    M.MEMORY_ALLOCATION: (1e11, 4e11),
}


_BUSY = frozenset({M.GPU_USAGE, M.GPU_PIPE_TENSOR_USAGE})
"""What a hung job (0) or a waiting one (about 0) stops using; its memory stays allocated."""
_WAITING_POWER = (60.0, 75.0)


def _value(job: Job, pod: str, metric: MetricType, moment: int) -> float:
    """One sample: in its usual range while training, low while the job hangs or idles."""
    low, high = _RANGES[metric]
    noise = unit_noise(job.id, pod, metric, moment)
    hung, idle = is_hung(job, moment), is_idle(job, moment)
    if hung or idle:
        if metric in _BUSY:
            return 0.0 if hung else round(noise * 1.5, 3)
        if metric is M.GPU_POWER_USAGE:
            low, high = _WAITING_POWER
    return round(low + (high - low) * noise, 3)


def parse_step(raw: str | None) -> int | None:
    """Read `timeStep` as seconds: `300`, `30s`, `5m` or `1h`; None when it is not one of those."""
    if raw is None or raw == "":
        return 300
    units = {"s": 1, "m": 60, "h": 3600}
    text = raw.strip().lower()
    factor = units.get(text[-1:], 0)
    number = text[:-1] if factor else text
    if not number.isdigit() or int(number) <= 0:
        return None
    return int(number) * (factor or 1)


def series(
    job: Job, metric: MetricType, start: float, end: float, step: int
) -> list[dict[str, object]]:
    """Return `podMetrics`: one series per pod; null values while the pod was not running."""
    first = int(start // step * step)
    times = list(range(first, int(end) + 1, step))
    running = [status_at(job, t) is JobStatus.RUNNING for t in times]
    pods: list[dict[str, object]] = []
    for pod in job.pod_names:
        points = [
            {
                "time": t,
                "value": _value(job, pod, metric, t) if up else None,
            }
            for t, up in zip(times, running, strict=True)
        ]
        pods.append({"podName": pod, "metrics": points})
    return pods


def point_count(start: float, end: float, step: int) -> int:
    """How many samples a query would return per pod."""
    return max(0, int((end - start) // step) + 1)


def queried_series(
    job: Job,
    now: float,
    raw_type: str,
    raw_step: str | None,
    start: float | None,
    end: float | None,
) -> list[dict[str, object]]:
    """Answer a metrics query as v1 and v2 alike: check its type, step and window, then sample.

    `start` defaults to the job's creation, `end` to now (never later); bad values are refused
    with the message Prometheus-backed AIHC gives.
    """
    metric = MetricType.parse(raw_type)
    if metric is None:
        raise invalid(f"unknown metricType {raw_type!r}")
    step = parse_step(raw_step)
    if step is None:
        raise invalid("timeStep must be seconds, or a duration such as 30s, 5m, 1h")
    start = job.created_at if start is None else start
    end = now if end is None else min(end, now)
    if end < start:
        raise invalid("endTime must not be before startTime")
    if point_count(start, end, step) > MAX_POINTS:
        raise invalid(f"exceeded maximum resolution of {MAX_POINTS} points per series")
    return series(job, metric, start, end, step)
