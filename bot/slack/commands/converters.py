"""Converters for command arguments (reads, actions, admin); each raises
`ValueError(problem_key)` on bad input."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.domain import JobStatus, MetricType, Priority, Role

_DURATION = re.compile(r"^(\d+)\s*([smhdw]?)$", re.IGNORECASE)
_UNIT_SECONDS = {"": 60, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
COUNT_DIGITS = 9
"""Digits a count may have: the command caps what it fetches, the parser only reads a number."""
MAX_SINCE = timedelta(days=30)


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


_USER = re.compile(r"^<?@?([UW][A-Z0-9]{2,30})(?:\|[^>]*)?>?$")
_QUOTA_KEYS = {"gpu": "gpu", "cpu": "cpu", "memory": "memory", "mem": "memory"}
"""Short names; `gpu` becomes the pool's GPU resource name where the pool is known."""
_QUOTA_ITEM = re.compile(r"^([A-Za-z0-9./_-]{1,64})=(\d{1,7}(?:\.\d{1,3})?)$")
MAX_AUDIT = 50
MAX_POOLS = 20


def slack_user(text: str) -> str:
    """Read a Slack user mention (`<@U123>`) or id; return the id."""
    match = _USER.match(text.strip())
    if not match:
        raise ValueError("problem.bad_user")
    return match.group(1)


def role(text: str) -> Role:
    """Read `operator` or `admin`."""
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise ValueError("problem.bad_role") from None


def priority(text: str) -> Priority:
    """Read `high`, `normal` or `low`."""
    value = Priority.parse(text)
    if value is None:
        raise ValueError("problem.bad_priority")
    return value


def audit_count(text: str) -> int:
    """Read how many audit entries to show, 1 to 50."""
    if not text.strip().isdigit() or not 1 <= int(text) <= MAX_AUDIT:
        raise ValueError("problem.bad_audit_count")
    return int(text)


def pool_list(text: str) -> tuple[str, ...]:
    """Read `p1,p2` (pool names or ids), or `all` for every pool."""
    names = tuple(part.strip() for part in text.split(",") if part.strip())
    if not names or len(names) > MAX_POOLS or any(len(n) > 253 for n in names):
        raise ValueError("problem.bad_pools")
    return () if names == ("all",) else names


def quota(text: str) -> dict[str, float]:
    """Read `gpu=8,cpu=64,memory=512` into AIHC resource names and quantities."""
    result: dict[str, float] = {}
    for part in (p.strip() for p in text.split(",") if p.strip()):
        match = _QUOTA_ITEM.match(part)
        if not match:
            raise ValueError("problem.bad_quota")
        key = _QUOTA_KEYS.get(match.group(1).lower(), match.group(1))
        result[key] = float(match.group(2))
    if not result:
        raise ValueError("problem.bad_quota")
    return result


def yes_no(text: str) -> bool:
    """Read yes/no, true/false, on/off."""
    value = text.strip().lower()
    if value in {"yes", "true", "on", "1"}:
        return True
    if value in {"no", "false", "off", "0"}:
        return False
    raise ValueError("problem.bad_yes_no")


STRATEGIES = ("StrictFIFO", "BestEffortFIFO")


def strategy(text: str) -> str:
    """Read a queueing strategy in any case: `StrictFIFO` or `BestEffortFIFO`."""
    for name in STRATEGIES:
        if text.strip().lower() == name.lower():
            return name
    raise ValueError("problem.bad_strategy")
