"""Converters for command arguments; each raises `ValueError(problem_key)` on bad input."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.domain import JobStatus, MetricType
from bot.slack.commands.grammar import Converter

_DURATION = re.compile(r"^(\d+)\s*([smhdw]?)$", re.IGNORECASE)
_UNIT_SECONDS = {"": 60, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
COUNT_DIGITS = 9
"""Digits a count may have: the command caps what it fetches, the parser only reads a number."""
MAX_SINCE = timedelta(days=30)

__all__ = ["Converter", "duration", "job_status", "line_count", "metric_type", "name"]


def duration(text: str) -> timedelta:
    """Read `90s`, `10m`, `2h`, `1d`, `1w` (a bare number means minutes), up to 30 days."""
    match = _DURATION.match(text.strip())
    if not match:
        raise ValueError("problem.bad_duration")
    value = timedelta(seconds=int(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()])
    if not timedelta(0) < value <= MAX_SINCE:
        raise ValueError("problem.bad_duration")
    return value


def line_count(text: str) -> int:
    """Read a number of log lines, 1 or more (the handler caps how many it fetches)."""
    digits = text.strip()
    if not (digits.isascii() and digits.isdigit()) or len(digits) > COUNT_DIGITS:
        raise ValueError("problem.bad_count")
    if int(digits) < 1:
        raise ValueError("problem.bad_count")
    return int(digits)


def job_status(text: str) -> JobStatus:
    """Read a job status in any case (`running`, `Failed`, `manualtermination`)."""
    status = JobStatus.parse(text)
    if status is JobStatus.UNKNOWN and text.strip().lower() != "unknown":
        raise ValueError("problem.bad_status")
    return status


def metric_type(text: str) -> MetricType:
    """Read a metric type in any case (`gpuusage`, `GpuMemoryUsage`)."""
    metric = MetricType.parse(text)
    if metric is None:
        raise ValueError("problem.bad_metric")
    return metric


def name(text: str) -> str:
    """Read a pool, queue, job or pod reference: non-empty, at most 253 characters."""
    value = text.strip()
    if not value or len(value) > 253 or any(ord(ch) < 32 for ch in value):
        raise ValueError("problem.bad_name")
    return value
