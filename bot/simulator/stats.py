"""Counts of v1 calls per operation and per status code, for `GET /_sim/stats`."""

from __future__ import annotations

from collections import Counter, defaultdict


class Stats:
    """Calls seen on the v1 routes since start or the last reset."""

    def __init__(self) -> None:
        self.operations: Counter[str] = Counter()
        self.statuses: Counter[str] = Counter()
        self.by_operation: defaultdict[str, Counter[str]] = defaultdict(Counter)

    def record(self, operation: str, status: str) -> None:
        """Count one call of `operation` that ended with `status` (a code, or `dropped`)."""
        self.operations[operation] += 1
        self.statuses[status] += 1
        self.by_operation[operation][status] += 1

    def snapshot(self) -> dict[str, object]:
        """Return the counts as the control API shows them."""
        return {
            "total": sum(self.operations.values()),
            "operations": dict(sorted(self.operations.items())),
            "statuses": dict(sorted(self.statuses.items())),
            "by_operation": {
                op: dict(sorted(c.items())) for op, c in sorted(self.by_operation.items())
            },
        }
