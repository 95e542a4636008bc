"""Which AIHC API the bot speaks, and what each version offers."""

from __future__ import annotations

from enum import StrEnum


class ApiVersion(StrEnum):
    """An AIHC OpenAPI version: v1 (path style) or v2 (action style)."""

    V1 = "v1"
    V2 = "v2"


V1_ONLY = frozenset({"pool.nodes", "queue.create", "queue.update", "queue.delete"})
"""Operations v2 has no action for: no node list (the nearest, DescribeResourcePoolOverview,
counts nodes), and no queue writes (Go services/aihc/v2/queue/client.go and Python
resource_pool_client.py offer DescribeQueue(s) only)."""


def offers(version: ApiVersion, operation: str) -> bool:
    """Say whether `version` has an action for `operation` (an AIHC client operation name)."""
    return version is ApiVersion.V1 or operation not in V1_ONLY
