"""The AIHC API v2 response shapes of pools and queues, drawn from the same world as v1.

Baidu's Go SDK is the only source that types these answers (services/aihc/v2/api/resourcepool.go
and queue.go at bce-sdk-go 691631049de9); Baidu's Python SDK 0.9.79 reads every v2 answer into
untyped `Expando` objects (baidubce/services/aihc/aihc_handler.py:30-48), so any key parses there.
"""

from __future__ import annotations

from bot.domain import MANAGED_POOLS
from bot.simulator.model import Pool, Queue
from bot.simulator.quantity import quantity_number
from bot.simulator.timefmt import rfc3339

QUEUE_ID_SEPARATOR = "/"
"""Between a pool id and a queue name in a v2 `queueId` (see `queue_id`)."""


def pool_type(pool: Pool) -> str:
    """Return a pool's v2 `resourcePoolType`: managed pools are `dedicatedV2`, others `common`.

    The three types are Go's ResourcePoolType (resourcepool.go:59-65); the Python SDK documents
    `common` and `dedicatedV2` (resource_pool_client.py:40).
    """
    return "dedicatedV2" if pool.id in MANAGED_POOLS else "common"


def pool_v2(pool: Pool) -> dict[str, object]:
    """Render a pool flat, as Go's ResourcePool (resourcepool.go:111-134) reads it."""
    return {
        "resourcePoolId": pool.id,
        "name": pool.name,
        "type": pool_type(pool),
        "region": pool.region,
        "description": pool.description,
        "createdBy": pool.created_by,
        "createdAt": rfc3339(pool.created_at),
        "updatedAt": rfc3339(pool.created_at + 86_400),
        "phase": pool.phase,
        "k8sVersion": pool.k8s_version,
        "runtimeType": "containerd",
        "nodeNum": len(pool.nodes),
        "configuration": {"forbidDelete": True},
        "associatedResources": [{"provider": "pfs", "id": pool.pfs_id}] if pool.pfs_id else [],
    }


def queue_id(queue: Queue) -> str:
    """Return the v2 `queueId` of a queue: `<resourcePoolId>/<queueName>`.

    v2's DescribeQueue names a queue by `queueId` alone, with no pool (resource_pool_client.py:
    212-241; Go services/aihc/v2/queue/client.go:27-43), while v1 names queues only within a pool.
    How the live service forms ids of self-operated pools' queues is documented nowhere; this
    simulator makes them unique across pools by prefixing the pool id.
    """
    return f"{queue.pool_id}{QUEUE_ID_SEPARATOR}{queue.name}"


def _number(text: str) -> str:
    value = quantity_number(text)
    if value is None:
        return text
    return str(int(value)) if float(value).is_integer() else str(value)


def amount_v2(quota: dict[str, str]) -> dict[str, object]:
    """Convert a v1 quota (`cpu` cores, `memory` GiB, GPUs by resource name) to v2's names.

    Go's ResourceAmount (queue.go:85-89): `milliCPUcores` and `memoryGi` as strings and an
    `acceleratorCardList` of {acceleratorCount, acceleratorType} (resourcepool.go:304-307). The
    card's type is the resource name jobs and v1 quotas use; what the live service puts there is
    unverified.
    """
    out: dict[str, object] = {}
    cards: list[dict[str, str]] = []
    for name, amount in quota.items():
        if name == "cpu":
            cores = quantity_number(amount) or 0
            out["milliCPUcores"] = str(int(float(cores) * 1000))
        elif name == "memory":
            out["memoryGi"] = _number(amount)
        else:
            cards.append({"acceleratorCount": _number(amount), "acceleratorType": name})
    if cards:
        out["acceleratorCardList"] = cards
    return out
