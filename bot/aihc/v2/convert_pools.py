"""Turn AIHC API v2 pool and queue payloads into the domain objects v1's answers make."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation

from bot.aihc.v2 import wire_pools as wire
from bot.domain import ROOT_QUEUE_NAME, Pool, Queue

_MILLI = Decimal(1000)
_MAX_DIGITS = 18
"""Quota amounts with more integer or fraction digits than this are not quotas: dropped."""
_V2_ROOT = "root"
"""How v2 names the root queue as a parent (Go queue.go:59: "父队列，默认为 root 队列")."""


def pool_from_v2(payload: wire.PoolV2Payload) -> Pool:
    """Build a pool as v1 would, from the fields v2 has.

    v2's ResourcePool (Go resourcepool.go:111-134) has no GPU counts (`gpu_total`, `gpu_used`,
    `gpu_details`), no count of busy nodes (`node_used`) and no CProm ids (`cprom_ids`): they are
    left empty. `node_total` is `nodeNum`; `pfs_id` is the associated resource whose provider
    is `pfs` (the simulator's reading of `associatedResources`; the live value is unverified).
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
