"""Time formats AIHC uses: RFC 3339 `Z` on pools and jobs, Go's `+0000 UTC` on events."""

from __future__ import annotations

from datetime import UTC, datetime


def rfc3339(epoch: float) -> str:
    """Format epoch seconds as `2024-07-16T08:33:43Z`."""
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def go_time(epoch: float) -> str:
    """Format epoch seconds the way Go prints a UTC time: `2024-07-15 16:52:50 +0000 UTC`."""
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%d %H:%M:%S +0000 UTC")


def log_time(epoch: float) -> str:
    """Format epoch seconds as Megatron prints them in its log lines."""
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%d %H:%M:%S")
