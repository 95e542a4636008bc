"""Turn AIHC API v2 pool and queue payloads into the domain objects v1's answers make."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation

from bot.aihc.v2 import wire_pools as wire
from bot.domain import ROOT_QUEUE_NAME, GpuDetail, Pool, Queue

_MILLI = Decimal(1000)
_MAX_DIGITS = 18
"""Quota amounts with more integer or fraction digits than this are not quotas: dropped."""
_MAX_GPUS = 1_000_000
"""More GPUs than this in one pool or node is not a count: read as unsaid."""
_V2_ROOT = "root"
"""How v2 names the root queue as a parent (Go queue.go:59: "父队列，默认为 root 队列")."""


def pool_from_v2(payload: wire.PoolV2Payload) -> Pool:
    """Build a pool as v1 would, from the fields v2 has.

    v2's ResourcePool (Go resourcepool.go:111-134) has no GPU counts (`gpu_total`, `gpu_used`,
    `gpu_details`), no count of busy nodes (`node_used`) and no CProm ids (`cprom_ids`): they are
    left empty, the GPUs for `with_gpus` to fill. `node_total` is `nodeNum`; `pfs_id` is the
    associated resource whose provider is `pfs` (the simulator's reading of
    `associatedResources`; the live value is unverified).
    """
    return Pool(
        id=payload.resource_pool_id,
        name=payload.name,
        region=payload.region,
        phase=payload.phase,
        description=payload.description,
        created_by=payload.created_by,
        k8s_version=payload.k8s_version,
        created_at=payload.created_at,
        updated_at=payload.updated_at,
        node_total=payload.node_num,
        pfs_id=next(
            (
                r.id.strip()
                for r in payload.associated_resources
                if r.provider.strip().lower() == "pfs" and r.id.strip()
            ),
            "",
        ),
        forbid_delete=bool(payload.configuration.forbid_delete),
    )


def statistics_by_pool(payload: wire.OverviewPayload) -> dict[str, wire.PoolStatisticPayload]:
    """Return the overview's figures by pool id; a pool listed under two types counts once."""
    found: dict[str, wire.PoolStatisticPayload] = {}
    for kind in payload.resource_pools_statistic_with_type:
        for statistic in kind.resource_pool_statistics:
            if statistic.resource_pool_id.strip():
                found.setdefault(statistic.resource_pool_id.strip(), statistic)
    return found


def with_gpus(pool: Pool, statistic: wire.PoolStatisticPayload | None) -> Pool:
    """Return `pool` with the GPUs the overview gives it, as v1's pool detail gives them.

    `gpu_total`/`gpu_used` are the pool's accelerator capacity and allocation, else its nodes'
    `gpuNum` summed; `gpu_details` holds one entry per node `accleratorDescriptor` (the resource
    name jobs request; the live value is unverified, see `wire_pools`), nodes without one left
    out rather than named by `accleratorType`, which may be a card model no job can request;
    `node_used` counts the nodes with GPUs allocated, as the simulator's v1 answers count them.
    A pool the overview leaves out keeps them empty.
    """
    if statistic is None:
        return pool
    nodes = statistic.node_resource_statistic.values()
    per_type: dict[str, tuple[int, int]] = {}
    for node in nodes:
        descriptor = node.acclerator_descriptor.strip()
        total, used = _gpus(node.capacity.gpu_num), _gpus(node.allocated.gpu_num)
        if descriptor and total is not None and used is not None:
            before = per_type.get(descriptor, (0, 0))
            per_type[descriptor] = (before[0] + total, before[1] + used)
    pooled = statistic.accelerators_statistic
    return pool.model_copy(
        update={
            "gpu_total": _or_sum(pooled.capacity, (n.capacity.gpu_num for n in nodes)),
            "gpu_used": _or_sum(pooled.allocated, (n.allocated.gpu_num for n in nodes)),
            "node_used": sum(1 for n in nodes if (_gpus(n.allocated.gpu_num) or 0) > 0),
            "gpu_details": tuple(
                GpuDetail(descriptor=name, total=total, used=used)
                for name, (total, used) in sorted(per_type.items())
            ),
        }
    )


def _gpus(value: float | None) -> int | None:
    # Go counts in float64 (resourcepool.go:246-248); a count no pool can hold is not said.
    if value is None or not 0 <= value <= _MAX_GPUS:
        return None
    return round(value)


def _or_sum(pooled: float | None, per_node: Iterable[float]) -> int:
    said = _gpus(pooled)
    if said is not None:
        return said
    return sum(_gpus(n) or 0 for n in per_node)


def queue_from_v2(payload: wire.QueueV2Payload, *, pool_id: str) -> Queue:
    """Build a queue as v1 would: quotas in v1's units, the root parent by v1's name.

    v2's QueueSpec (Go queue.go:48-83) has no namespace (left empty) and a switch `opened`
    where v1 has a state: `Open` when opened, `Closed` when not (v1's `Closing` cannot be told).
    Job counts Go leaves out when 0 (`omitempty`, :77-79) read as 0.
    """
    parent = payload.parent_queue
    return Queue(
        name=payload.queue_name,
        pool_id=pool_id,
        description=payload.description,
        queue_type=payload.queue_type,
        state={True: "Open", False: "Closed", None: ""}[payload.opened],
        parent=ROOT_QUEUE_NAME if parent == _V2_ROOT else parent,
        reclaimable=payload.reclaimable,
        disable_oversell=payload.disable_oversell,
        queueing_strategy=payload.queueing_strategy,
        created_at=payload.created_at,
        deserved=quota_from_v2(payload.deserved),
        guarantee=quota_from_v2(payload.guarantee),
        capability=quota_from_v2(payload.capability),
        allocated=quota_from_v2(payload.allocated),
        running=payload.running_jobs,
        inqueue=payload.inqueue_jobs,
        pending=payload.pending_jobs,
        children=tuple(
            queue_from_v2(child, pool_id=pool_id) for child in payload.children if child.queue_name
        ),
    )


def quota_from_v2(amount: wire.AmountPayload) -> dict[str, str]:
    """Return a v2 quota in v1's terms: `cpu` in cores, `memory` in GiB, cards by resource name.

    v1 quotas name GPUs by the resource name jobs use; v2's card type is read as that name,
    which is the simulator's reading (the live service's values are unverified).
    """
    out: dict[str, str] = {}
    cores = _decimal(amount.milli_cpu_cores)
    if cores is not None:
        out["cpu"] = _text(cores / _MILLI)
    memory = _decimal(amount.memory_gi)
    if memory is not None:
        out["memory"] = _text(memory)
    for card in amount.accelerator_card_list:
        count = _decimal(card.accelerator_count)
        if card.accelerator_type.strip() and count is not None:
            out[card.accelerator_type.strip()] = _text(count)
    return out


def flatten(tops: Iterable[Queue]) -> Iterator[Queue]:
    """Yield every queue of a tree depth first, each with its children still nested.

    This is how v1's live answers list queues (every queue at the top level, children nested
    too), which every reader of a queue list takes (`Queue.family()`, the queue table).
    """
    for top in tops:
        yield from top.family()


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    if value.is_zero():
        return Decimal(0)
    return value if abs(value.adjusted()) <= _MAX_DIGITS else None


def _text(value: Decimal) -> str:
    # As v1 answers quotas: "16", not "16.000"; "0.5", not "5E-1".
    return format(value.normalize(), "f")
