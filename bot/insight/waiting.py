"""Why a queued job waits, read from its queue, the pool's nodes and the jobs queued with it.

Each reason is given only when the data AIHC returned supports it; a quota, a node field or a
queueing sequence that AIHC left out leaves its reason out, never guessed. The quotas and node
capacities counted are those of the GPU resource the job asks for (`baidu.com/a800_80g_cgpu`).

Oversell and reclaim, as the v1 document describes them: `deserved` is the queue's share,
`capability` its ceiling. With oversell allowed (`disableOversell` false) a queue may run past its
deserved share, up to its capability, on GPUs other queues leave idle; with oversell disabled it
stops at its deserved share. A `reclaimable` queue's GPUs beyond its deserved share can be taken
back when a queue still within its own share needs them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from bot.domain import ROOT_QUEUE_NAME, Job, JobStatus, Node, Priority, Queue

WAITING_STATUSES = frozenset({JobStatus.CREATED, JobStatus.PENDING, JobStatus.SCHEDULED})
"""A job in one of these has not been given its resources yet."""
AHEAD_NAMED = 3
"""How many of the jobs ahead a report names."""
_RANK = {Priority.HIGH: 2, Priority.NORMAL: 1, Priority.LOW: 0}


@dataclass(frozen=True, slots=True)
class QuotaShortfall:
    """The queue's quota cannot hold the job: `allocated` + `need` would pass `limit`."""

    resource: str
    need: int
    limit: int
    limit_kind: Literal["capability", "deserved"]
    allocated: int | None
    never_fits: bool
    """The job alone asks for more than the limit: it cannot start in this queue at all."""
    tag: Literal["quota"] = "quota"
    """Names the kind of reason when a notice stores it as JSON."""


@dataclass(frozen=True, slots=True)
class Borrowing:
    """Over its deserved share but within capability, with oversell allowed: it needs idle GPUs."""

    resource: str
    need: int
    allocated: int
    deserved: int
    reclaimable: bool | None
    tag: Literal["borrowing"] = "borrowing"
    """Names the kind of reason when a notice stores it as JSON."""


@dataclass(frozen=True, slots=True)
class NodeShortage:
    """The schedulable nodes lack the free GPUs of the job's type, in total or on one node."""

    resource: str
    need: int | None
    free: int
    per_replica: int
    largest_free: int
    replicas: int | None
    placeable: int
    """Replicas the free GPUs hold, each on one node."""
    cordoned: int
    failed: int
    tag: Literal["nodes"] = "nodes"
    """Names the kind of reason when a notice stores it as JSON."""


@dataclass(frozen=True, slots=True)
class Reclaim:
    """Reclaimable queues run past their deserved share: AIHC may take those GPUs back."""

    resource: str
    gpus: int
    queues: tuple[str, ...]
    tag: Literal["reclaim"] = "reclaim"
    """Names the kind of reason when a notice stores it as JSON."""


@dataclass(frozen=True, slots=True)
class JobsAhead:
    """Waiting jobs of the same queue that come first: higher priority, then earlier sequence."""

    count: int
    first: tuple[str, ...]
    strategy: str
    at_least: bool = False
    """Only part of the queue's jobs was read: more may wait ahead."""
    tag: Literal["ahead"] = "ahead"
    """Names the kind of reason when a notice stores it as JSON."""


WaitReason = QuotaShortfall | Borrowing | NodeShortage | Reclaim | JobsAhead


@dataclass(frozen=True, slots=True)
class WaitReport:
    """Why one job waits: what it asks for and every reason the data supports, in order."""

    job: str
    queue: str
    status: JobStatus
    resource: str | None
    per_replica: int | None
    replicas: int | None
    reasons: tuple[WaitReason, ...]

    @property
    def explained(self) -> bool:
        """Say whether anything AIHC returned explains the wait."""
        return bool(self.reasons)


def is_waiting(job: Job) -> bool:
    """Say whether the job is queued: Created, Pending or Scheduled."""
    return job.status in WAITING_STATUSES


def why_waiting(
    job: Job,
    *,
    queue: Queue | None,
    nodes: Sequence[Node] | None,
    queue_jobs: Sequence[Job] | None,
    pool_queues: Sequence[Queue] | None = None,
    all_jobs_read: bool = True,
) -> WaitReport:
    """Explain why `job` waits; None (or an empty queue's fields) leaves those reasons out."""
    resource, per_replica = _gpu_request(job)
    replicas = job.replicas if job.replicas is not None and job.replicas > 0 else None
    need = per_replica * replicas if per_replica is not None and replicas is not None else None
    reasons: list[WaitReason] = []
    if resource is not None and need is not None and queue is not None:
        reasons.extend(_quota_reasons(queue, resource, need))
    shortage = None
    if resource is not None and per_replica is not None and nodes is not None:
        shortage = _node_shortage(nodes, resource, per_replica, replicas)
    if shortage is not None:
        reasons.append(shortage)
        reclaim = _reclaim(queue, pool_queues, resource, need) if resource and need else None
        if reclaim is not None:
            reasons.append(reclaim)
    if queue_jobs is not None:
        ahead = _jobs_ahead(job, queue_jobs, queue.queueing_strategy if queue else "")
        if ahead is not None:
            reasons.append(replace(ahead, at_least=not all_jobs_read))
    return WaitReport(
        job=job.name or job.id,
        queue=job.queue,
        status=job.status,
        resource=resource,
        per_replica=per_replica,
        replicas=replicas,
        reasons=tuple(reasons),
    )


def explain(
    job: Job,
    *,
    queues: Sequence[Queue] | None,
    nodes: Sequence[Node] | None,
    queue_jobs: Sequence[Job] | None,
    all_jobs_read: bool,
) -> WaitReport:
    """Explain why `job` waits from a pool's queues as AIHC lists them (nested ones too)."""
    every = [q for top in queues for q in top.family()] if queues is not None else None
    queue = next((q for q in every or () if q.name == job.queue), None)
    return why_waiting(
        job,
        queue=queue,
        nodes=nodes,
        queue_jobs=queue_jobs,
        pool_queues=every,
        all_jobs_read=all_jobs_read,
    )


def _gpu_request(job: Job) -> tuple[str | None, int | None]:
    """Return the GPU resource the job asks for and how many per replica (None if it asks none)."""
    for resource in job.resources:
        if "gpu" in resource.name.lower() and resource.quantity > 0:
            return resource.name, math.ceil(resource.quantity)
    return None, None


def amount(quotas: Mapping[str, str], resource: str) -> int | None:
    """Read a GPU quantity of a quota map (names compared case-insensitively); None if absent."""
    raw = quotas.get(resource)
    if raw is None:
        wanted = resource.lower()
        raw = next((v for k, v in quotas.items() if k.strip().lower() == wanted), None)
    if raw is None or len(raw) > 32:
        return None
    try:
        value = float(raw)
    except ValueError:
        return None
    return math.floor(value) if math.isfinite(value) and value >= 0 else None


def _quota_reasons(queue: Queue, resource: str, need: int) -> list[WaitReason]:
    allocated = amount(queue.allocated, resource)
    capability = amount(queue.capability, resource)
    deserved = amount(queue.deserved, resource)
    after = None if allocated is None else allocated + need
    limits: list[tuple[int | None, Literal["capability", "deserved"]]] = [
        (capability, "capability")
    ]
    if queue.disable_oversell is True:
        limits.append((deserved, "deserved"))
    for limit, kind in limits:
        if limit is not None and (need > limit or (after is not None and after > limit)):
            return [QuotaShortfall(resource, need, limit, kind, allocated, need > limit)]
    if (
        queue.disable_oversell is False
        and deserved is not None
        and allocated is not None
        and allocated + need > deserved
    ):
        return [Borrowing(resource, need, allocated, deserved, queue.reclaimable)]
    return []


def is_schedulable(node: Node) -> bool:
    """Say whether new pods can land on `node`: running, and neither cordoned nor tainted."""
    return node.status_phase.strip().lower() == "running" and node.intervention.strip().lower() in (
        "",
        "unintervened",
    )


def _node_shortage(
    nodes: Sequence[Node], resource: str, per_replica: int, replicas: int | None
) -> NodeShortage | None:
    wanted = resource.strip().lower()
    typed = [n for n in nodes if n.gpu_descriptor.strip().lower() == wanted]
    if not typed:
        # No node says it holds this GPU type (or none names its type): nothing to count.
        return None
    free = [max(n.gpu_total - n.gpu_allocated, 0) for n in typed if is_schedulable(n)]
    total = sum(free)
    placeable = sum(f // per_replica for f in free)
    need = per_replica * replicas if replicas is not None else None
    short_total = need is not None and total < need
    short_one = max(free, default=0) < per_replica
    short_spread = replicas is not None and placeable < replicas
    if not (short_total or short_one or short_spread):
        return None
    return NodeShortage(
        resource=resource,
        need=need,
        free=total,
        per_replica=per_replica,
        largest_free=max(free, default=0),
        replicas=replicas,
        placeable=placeable,
        cordoned=sum(1 for n in typed if n.is_cordoned),
        failed=sum(1 for n in typed if n.is_failed),
    )


def _reclaim(
    queue: Queue | None, pool_queues: Sequence[Queue] | None, resource: str, need: int
) -> Reclaim | None:
    """Say what AIHC may take back for a queue still within its deserved share."""
    if queue is None or pool_queues is None:
        return None
    allocated = amount(queue.allocated, resource)
    deserved = amount(queue.deserved, resource)
    if allocated is None or deserved is None or allocated + need > deserved:
        return None
    gpus = 0
    names: list[str] = []
    for other in pool_queues:
        if other.name in (queue.name, ROOT_QUEUE_NAME) or other.reclaimable is not True:
            continue
        used = amount(other.allocated, resource)
        share = amount(other.deserved, resource)
        if used is not None and share is not None and used > share:
            gpus += used - share
            names.append(other.name)
    return Reclaim(resource, gpus, tuple(names[:AHEAD_NAMED])) if gpus else None


def _jobs_ahead(job: Job, others: Sequence[Job], strategy: str) -> JobsAhead | None:
    if job.priority is None or job.queueing_sequence is None:
        return None
    mine = (_RANK[job.priority], -job.queueing_sequence)
    ahead = sorted(
        (
            (_RANK[other.priority], -other.queueing_sequence, other.name or other.id)
            for other in others
            if other.id != job.id
            and other.queue == job.queue
            and other.status in WAITING_STATUSES
            and other.priority is not None
            and other.queueing_sequence is not None
        ),
        reverse=True,
    )
    first = [entry for entry in ahead if entry[:2] > mine]
    if not first:
        return None
    return JobsAhead(len(first), tuple(entry[2] for entry in first[:AHEAD_NAMED]), strategy)
