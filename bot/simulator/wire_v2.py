"""The AIHC API v2 response shapes of pools and queues, drawn from the same world as v1.

Baidu's Go SDK is the only source that types these answers (services/aihc/v2/api/resourcepool.go
and queue.go at bce-sdk-go 691631049de9); Baidu's Python SDK 0.9.79 reads every v2 answer into
untyped `Expando` objects (baidubce/services/aihc/aihc_handler.py:30-48), so any key parses there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.domain import MANAGED_POOLS
from bot.simulator.model import Node, Pool, Queue
from bot.simulator.quantity import quantity_number
from bot.simulator.timefmt import rfc3339
from bot.simulator.wire import node_body

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


def overview_v2(pools: Iterable[Pool]) -> dict[str, object]:
    """Render DescribeResourcePoolOverview: each pool type's pools with their nodes and GPUs.

    Go's DescribeResourcePoolOverviewResponse (resourcepool.go:107-109, :217-310). The figures
    are v1's: GPUs and allocated GPUs per node as the v1 node list reports them, the v1 pool's
    `gpuDetail` descriptor as each node's `accleratorDescriptor` (Go's spelling), the node's
    `gpuType` as `accleratorType` and as the type the per-type statistics are keyed by. The
    live service's values in those two fields are unverified. `resourcesStatistic` (CPU and
    memory totals, `omitempty`) is left out; utilisation is not simulated and reads 0.
    """
    by_type: dict[str, list[Pool]] = {}
    for pool in pools:
        by_type.setdefault(pool_type(pool), []).append(pool)
    return {
        "resourcePoolsStatisticWithType": [
            {
                "type": kind,
                "nodesStatistic": {"totalCount": sum(len(p.nodes) for p in members)},
                "acceleratorsStatistic": _accelerators([n for p in members for n in p.nodes]),
                "resourcePoolStatistics": [_pool_statistic(p) for p in members],
            }
            for kind, members in by_type.items()
        ]
    }


def _pool_statistic(pool: Pool) -> dict[str, object]:
    nodes: dict[str, object] = {}
    for node in pool.nodes:
        # Keyed by node name; a name the world gives twice falls back to the instance id.
        key = node.instance_id if node.name in nodes else node.name
        nodes[key] = _node_resource(node, pool.gpu_resource)
    return {
        "resourcePoolId": pool.id,
        "type": pool_type(pool),
        "name": pool.name,
        "nodesStatistic": {"totalCount": len(pool.nodes)},
        "acceleratorsStatistic": _accelerators(pool.nodes),
        "nodeResourceStatistic": nodes,
    }


def _statistic(capacity: int, allocated: int) -> dict[str, object]:
    # Go's ResourceStatistic (resourcepool.go:242-256): float64s, whole here as Go writes them.
    return {
        "capacity": capacity,
        "allocated": allocated,
        "idle": capacity - allocated,
        "allocationRate": allocated / capacity if capacity else 0.0,
        "utilizationRate": 0.0,
    }


def _accelerators(nodes: Sequence[Node]) -> dict[str, object]:
    by_type: dict[str, list[Node]] = {}
    for node in nodes:
        by_type.setdefault(node.gpu_type, []).append(node)
    return {
        **_statistic(sum(n.gpu_total for n in nodes), sum(n.gpu_allocated for n in nodes)),
        "acceleratorStatistics": [
            {
                "acceleratorType": kind,
                **_statistic(sum(n.gpu_total for n in same), sum(n.gpu_allocated for n in same)),
            }
            for kind, same in by_type.items()
        ],
    }


def _node_resource(node: Node, gpu_resource: str) -> dict[str, object]:
    """Render Go's NodeResource (resourcepool.go:285-302) from the v1 node list's figures."""
    v1 = {k: v for k, v in node_body(node, gpu_resource, live=True).items() if isinstance(v, int)}
    capacity = _node_amount(v1["cpuTotal"], v1["memoryTotal"], node.gpu_total, gpu_resource)
    return {
        "isAcclerator": node.gpu_total > 0,
        "accleratorType": node.gpu_type,
        "accleratorDescriptor": gpu_resource,
        "capacity": capacity,
        "allocatable": capacity,
        "allocated": _node_amount(
            v1["cpuAllocated"], v1["memoryAllocated"], node.gpu_allocated, gpu_resource
        ),
    }


def _node_amount(cores: int, memory: int, gpus: int, gpu_resource: str) -> dict[str, object]:
    # Every field is `omitempty` in Go (resourcepool.go:296-302): zeros are left out.
    amount: dict[str, object] = {
        "milliCPUcores": cores * 1000,
        "memoryBytes": memory,
        "gpuNum": gpus,
    }
    if gpus:
        amount["acceleratorCardList"] = [
            {"acceleratorCount": str(gpus), "acceleratorType": gpu_resource}
        ]
    return {key: value for key, value in amount.items() if value}
