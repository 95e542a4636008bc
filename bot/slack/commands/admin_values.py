"""Converters for the action and admin commands; each raises `ValueError(problem_key)`."""

from __future__ import annotations

import re

from bot.domain import Priority, Role

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
