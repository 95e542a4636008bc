"""Turn pool, node and queue payloads into domain objects, and queue requests into JSON.

Jobs, pods and what hangs off them (events, logs, metrics) are `convert_jobs`.
"""

from __future__ import annotations

from typing import Any

from bot.aihc import wire
from bot.domain import GpuDetail, Node, Pool, Queue, QueueSpec


def pool_from_wire(payload: wire.PoolPayload) -> Pool:
    """Build a pool."""
    meta, spec, status = payload.metadata, payload.spec, payload.status
    return Pool(
        id=meta.id,
        name=meta.name,
        region=spec.region,
        phase=status.phase,
        description=spec.description,
        created_by=spec.created_by,
        k8s_version=spec.k8s_version,
        created_at=meta.created_at,
        updated_at=meta.updated_at,
        gpu_total=status.gpu_count.total,
        gpu_used=status.gpu_count.used,
        node_total=status.node_count.total,
        node_used=status.node_count.used,
        pfs_id=spec.associated_pfs_id,
        cprom_ids=tuple(spec.associated_cprom_ids),
        forbid_delete=bool(spec.forbid_delete),
        gpu_details=tuple(
            GpuDetail(descriptor=d.gpu_descriptor.strip(), total=d.total, used=d.used)
            for d in status.gpu_detail
            if d.gpu_descriptor.strip()
        ),
    )


def node_from_wire(payload: wire.NodePayload) -> Node:
    """Build a node."""
    return Node(
        name=payload.node_name,
        instance_id=payload.instance_id,
        instance_name=payload.instance_name,
        gpu_type=payload.gpu_type,
        gpu_total=payload.gpu_total,
        gpu_allocated=payload.gpu_allocated,
        status_phase=payload.status_phase,
        intervention=payload.intervention,
        zone=payload.zone,
        region=payload.region,
        charging_type=payload.charging_type,
        gpu_descriptor=payload.gpu_descriptor,
        cpu_total=payload.cpu_total,
        cpu_allocated=payload.cpu_allocated,
        memory_total=payload.memory_total,
        memory_allocated=payload.memory_allocated,
    )


def queue_from_wire(payload: wire.QueuePayload, *, pool_id: str) -> Queue:
    """Build a queue."""
    return Queue(
        name=payload.name,
        pool_id=pool_id,
        description=payload.description,
        queue_type=payload.queue_type,
        state=payload.state,
        parent=payload.parent_queue,
        namespace=payload.name_space,
        reclaimable=payload.reclaimable,
        disable_oversell=payload.disable_oversell,
        queueing_strategy=payload.queueing_strategy,
        created_at=payload.created_time,
        deserved=payload.deserved,
        guarantee=payload.guarantee,
        capability=payload.capability,
        allocated=payload.allocated,
        running=payload.running,
        inqueue=payload.inqueue,
        pending=payload.pending,
        children=tuple(queue_from_wire(child, pool_id=pool_id) for child in payload.children),
    )


def _quota(values: Any) -> dict[str, float | int] | None:
    # Quotas are numbers on the wire; send 8, not 8.0, when the value is whole.
    if values is None:
        return None
    return {str(k): int(v) if float(v).is_integer() else float(v) for k, v in values.items()}


def queue_body(spec: QueueSpec, *, include_name: bool) -> dict[str, Any]:
    """Serialise a queue create (with its name) or update (without) request body."""
    body: dict[str, Any] = {"name": spec.name} if include_name else {}
    optional: dict[str, Any] = {
        "description": spec.description,
        "queueType": spec.queue_type,
        "parentQueue": spec.parent_queue if include_name else None,
        "deserved": _quota(spec.deserved),
        "guarantee": _quota(spec.guarantee),
        "capability": _quota(spec.capability),
        "disableOversell": spec.disable_oversell,
        "reclaimable": spec.reclaimable,
        "queueingStrategy": spec.queueing_strategy,
    }
    if spec.nodes is not None:
        optional["nodes"] = {
            "nodeCount": spec.nodes.node_count,
            "nodeNames": list(spec.nodes.node_names),
        }
    body.update({key: value for key, value in optional.items() if value is not None})
    return body
