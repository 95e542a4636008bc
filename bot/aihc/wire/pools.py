"""AIHC v1 wire models of pools, nodes and queues (`<X>Payload`), read tolerantly."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, ClassVar

from pydantic import BeforeValidator, Field

from bot.aihc.wire.tolerant import (
    AnObject,
    Count,
    Flag,
    Objects,
    OptInt,
    Text,
    TextMap,
    Texts,
    Time,
    WirePayload,
)


class CountPayload(WirePayload):
    """A total/used pair."""

    total: Count = 0
    used: Count = 0


class PoolMetadataPayload(WirePayload):
    """Pool metadata; the id is `id` in one example and `uid` in another."""

    extra_aliases: ClassVar[Mapping[str, str]] = {"uid": "id"}
    id: Text = ""
    name: Text = ""
    created_at: Time = None
    updated_at: Time = None


class PoolSpecPayload(WirePayload):
    """Pool spec."""

    k8s_version: Text = Field("", alias="k8sVersion")
    associated_cprom_ids: Texts = Field(default_factory=list)
    associated_pfs_id: Text = ""
    created_by: Text = ""
    description: Text = ""
    forbid_delete: Flag = None
    region: Text = ""


class GpuDetailPayload(WirePayload):
    """One GPU type of a pool (Go: services/aihc/api/v1/resourcePool.go:69-73)."""

    gpu_descriptor: Text = ""
    total: Count = 0
    used: Count = 0


class PoolStatusPayload(WirePayload):
    """Pool status; `gpuDetail` is Go's (resourcePool.go:57), absent from the v1 document."""

    gpu_detail: Annotated[list[GpuDetailPayload], Objects] = Field(default_factory=list)
    gpu_count: Annotated[CountPayload, AnObject] = Field(default_factory=CountPayload)
    node_count: Annotated[CountPayload, AnObject] = Field(default_factory=CountPayload)
    phase: Text = ""


class PoolPayload(WirePayload):
    """A resource pool."""

    metadata: Annotated[PoolMetadataPayload, AnObject] = Field(default_factory=PoolMetadataPayload)
    spec: Annotated[PoolSpecPayload, AnObject] = Field(default_factory=PoolSpecPayload)
    status: Annotated[PoolStatusPayload, AnObject] = Field(default_factory=PoolStatusPayload)


class PoolDetailPayload(WirePayload):
    """Result of pool detail."""

    resource_pool: Annotated[PoolPayload, AnObject] = Field(default_factory=PoolPayload)


class PoolListPayload(WirePayload):
    """Result of pool list; the total is `totalCount` in the document, `total` in the SDKs."""

    extra_aliases: ClassVar[Mapping[str, str]] = {"totalCount": "total"}
    resource_pools: Annotated[list[PoolPayload], Objects] = Field(default_factory=list)
    total: OptInt = None


class NodePayload(WirePayload):
    """A pool node (the document's key is `"instanceName "`, trailing space included)."""

    charging_type: Text = ""
    gpu_allocated: Count = 0
    gpu_total: Count = 0
    gpu_type: Text = ""
    instance_id: Text = ""
    instance_name: Text = ""
    intervention: Text = ""
    node_name: Text = ""
    status_phase: Text = ""
    zone: Text = ""
    region: Text = ""
    # Capacity (Go SDK services/aihc/api/v1/resourcePool.go:118-122); memory's unit is unstated.
    gpu_descriptor: Text = ""
    cpu_total: OptInt = None
    cpu_allocated: OptInt = None
    memory_total: OptInt = None
    memory_allocated: OptInt = None


class NodeListPayload(WirePayload):
    """Result of pool nodes."""

    nodes: Annotated[list[NodePayload], Objects] = Field(default_factory=list)
    total: OptInt = None
    page_no: OptInt = None
    page_size: OptInt = None


QUEUE_DEPTH = 8
"""Most levels of nested queues read; deeper ones are dropped before they are parsed."""


def _pruned(value: object, depth: int = QUEUE_DEPTH) -> list[Any]:
    # Children nest as deep as the answer says: cut the tree before parsing recurses into it.
    if not isinstance(value, list) or depth <= 0:
        return []
    kept: list[Any] = []
    for item in value:
        if isinstance(item, Mapping):
            item = {**item}
            for key in [k for k in item if isinstance(k, str) and k.strip().lower() == "children"]:
                item[key] = _pruned(item[key], depth - 1)
            kept.append(item)
    return kept


class QueuePayload(WirePayload):
    """A queue; quotas arrive as strings."""

    name: Text = ""
    description: Text = ""
    created_time: Time = None
    name_space: Text = ""
    parent_queue: Text = ""
    queue_type: Text = ""
    state: Text = ""
    reclaimable: Flag = None
    disable_oversell: Flag = None
    queueing_strategy: Text = ""
    deserved: TextMap = Field(default_factory=dict)
    guarantee: TextMap = Field(default_factory=dict)
    capability: TextMap = Field(default_factory=dict)
    allocated: TextMap = Field(default_factory=dict)
    # Job counts and nested queues (Go SDK services/aihc/api/v1/queue.go:40,60-62).
    running: OptInt = None
    inqueue: OptInt = None
    pending: OptInt = None
    children: Annotated[list[QueuePayload], BeforeValidator(_pruned)] = Field(default_factory=list)


class QueueListPayload(WirePayload):
    """Result of queue list."""

    queues: Annotated[list[QueuePayload], Objects] = Field(default_factory=list)
    total: OptInt = None


class QueueDetailPayload(WirePayload):
    """Result of queue detail."""

    queue: Annotated[QueuePayload, AnObject] = Field(default_factory=QueuePayload)


class QueueNamePayload(WirePayload):
    """Result of queue create, update and delete."""

    queue_name: Text = ""
