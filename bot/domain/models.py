"""Plain domain types every layer shares: pools, nodes, queues, jobs, pods, events, logs, metrics.

They hold nothing secret: the AIHC client drops pod annotations and password-like keys before it
builds them, so any layer may log, store or render them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from bot.domain.status import (
    ROOT_QUEUE_NAME,
    EventType,
    JobFramework,
    JobStatus,
    MetricType,
    Priority,
)

CREATOR_LABEL = "aijob.cce.baidubce.com/ai-user-name"


class DomainModel(BaseModel):
    """Base of the immutable domain types."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class GpuDetail(DomainModel):
    """How many GPUs of one type a pool has and has given out."""

    descriptor: str
    """The GPU resource descriptor, e.g. `baidu.com/a800_80g_cgpu`."""
    total: int = 0
    used: int = 0


MANAGED_POOLS = frozenset({"aihc-bhcmp", "aihc-serverless"})
"""Pools shared by many accounts, where a job is found through its queue as well: Baidu's Go SDK
refuses job get, list, delete, update, stop and web terminal in them without `queueID`
(`services/aihc/resource/client.go`:20-21, :175-176, :201-202, :264-265, :291-292, :443-444,
:466-468) and sends the job's queue on create (:232-234)."""


class Pool(DomainModel):
    """A resource pool (a CCE cluster AIHC schedules onto)."""

    id: str
    name: str = ""
    region: str = ""
    phase: str = ""
    description: str = ""
    created_by: str = ""
    k8s_version: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    gpu_total: int = 0
    gpu_used: int = 0
    node_total: int = 0
    node_used: int = 0
    pfs_id: str = ""
    cprom_ids: tuple[str, ...] = ()
    forbid_delete: bool = False
    gpu_details: tuple[GpuDetail, ...] = ()
    """Per GPU type; empty where AIHC does not say (the v1 document's pools)."""


class Node(DomainModel):
    """A node of a resource pool."""

    name: str = ""
    instance_id: str = ""
    instance_name: str = ""
    gpu_type: str = ""
    gpu_total: int = 0
    gpu_allocated: int = 0
    status_phase: str = ""
    intervention: str = ""
    zone: str = ""
    region: str = ""
    charging_type: str = ""
    gpu_descriptor: str = ""
    cpu_total: int | None = None
    cpu_allocated: int | None = None
    memory_total: int | None = None
    memory_allocated: int | None = None

    @property
    def is_cordoned(self) -> bool:
        """Say whether nothing new is scheduled onto this node (cordoned by a person or AIHC)."""
        return (
            self.intervention.strip().lower() == "cordoned"
            or self.status_phase.strip().lower() == "ready_scheduling_disabled"
        )

    @property
    def is_failed(self) -> bool:
        """Say whether this node failed to come up or broke."""
        return "fail" in self.status_phase.lower()


class Queue(DomainModel):
    """A scheduling queue with its quotas (resource name → quantity, as AIHC spells them)."""

    name: str
    pool_id: str = ""
    description: str = ""
    queue_type: str = ""
    state: str = ""
    parent: str = ""
    namespace: str = ""
    reclaimable: bool | None = None
    disable_oversell: bool | None = None
    queueing_strategy: str = ""
    created_at: datetime | None = None
    deserved: Mapping[str, str] = Field(default_factory=dict)
    guarantee: Mapping[str, str] = Field(default_factory=dict)
    capability: Mapping[str, str] = Field(default_factory=dict)
    allocated: Mapping[str, str] = Field(default_factory=dict)
    running: int | None = None
    inqueue: int | None = None
    pending: int | None = None
    children: tuple[Queue, ...] = ()

    @property
    def is_root(self) -> bool:
        """Say whether this is the md5("root") queue that lists hide."""
        return self.name == ROOT_QUEUE_NAME

    def family(self) -> Iterator[Queue]:
        """Yield this queue, then every queue nested under it."""
        yield self
        for child in self.children:
            yield from child.family()


class QueueNodes(DomainModel):
    """The nodes bound to a physical queue."""

    node_count: int | None = None
    node_names: tuple[str, ...] = ()


class QueueSpec(DomainModel):
    """What a queue create or update asks for; None leaves a setting to AIHC's default."""

    name: str
    description: str | None = None
    queue_type: str | None = None
    parent_queue: str | None = None
    deserved: Mapping[str, float] | None = None
    guarantee: Mapping[str, float] | None = None
    capability: Mapping[str, float] | None = None
    disable_oversell: bool | None = None
    reclaimable: bool | None = None
    nodes: QueueNodes | None = None
    queueing_strategy: str | None = None


class Resource(DomainModel):
    """A resource request of each replica, e.g. `baidu.com/a800_80g_cgpu` × 8."""

    name: str
    quantity: float


class EnvVar(DomainModel):
    """An environment variable of a job; secret-looking ones never get this far."""

    name: str
    value: str = ""


class Datasource(DomainModel):
    """A volume mounted into the job's pods (PFS, host path, emptyDir …)."""

    type: str = ""
    name: str = ""
    mount_path: str = ""


class Pod(DomainModel):
    """One pod of a job, named `<job>-<replicaType>-<i>`."""

    name: str
    replica_type: str = ""
    phase: str = ""
    status_text: str = ""
    ip: str = ""
    node_name: str = ""
    restart_count: int = 0
    created_at: datetime | None = None
    reason: str = ""
    finished_at: datetime | None = None

    @property
    def is_rank_zero(self) -> bool:
        """Say whether this pod is rank 0 (master-0, launcher-0 or worker-0)."""
        return self.name.endswith(("-master-0", "-launcher-0"))

    @property
    def ended_badly(self) -> bool:
        """Say whether the pod stopped with a reason worth showing (not a clean completion)."""
        return bool(self.reason.strip()) and self.phase.lower() not in ("running", "succeeded")


class Job(DomainModel):
    """A training job as the list or the detail operation shows it."""

    id: str
    name: str = ""
    pool_id: str = ""
    queue: str = ""
    status: JobStatus = JobStatus.UNKNOWN
    status_text: str = ""
    priority: Priority | None = None
    priority_text: str = ""
    framework: JobFramework | None = None
    command: str = ""
    image: str = ""
    replicas: int | None = None
    created_at: datetime | None = None
    scheduled_at: datetime | None = None
    running_at: datetime | None = None
    finished_at: datetime | None = None
    bccl_status: str = ""
    bccl_error: str = ""
    resources: tuple[Resource, ...] = ()
    labels: Mapping[str, str] = Field(default_factory=dict)
    envs: tuple[EnvVar, ...] = ()
    datasources: tuple[Datasource, ...] = ()
    fault_tolerance: bool = False
    enable_rdma: bool = False
    queueing_sequence: int | None = None
    pods: tuple[Pod, ...] = ()

    @property
    def creator(self) -> str:
        """The AIHC user who created the job, from its `ai-user-name` label."""
        return self.labels.get(CREATOR_LABEL, "")

    @property
    def gpu_count(self) -> int:
        """GPUs requested per replica (resources whose name mentions gpu)."""
        return int(sum(r.quantity for r in self.resources if "gpu" in r.name.lower()))

    @property
    def ended_pods(self) -> tuple[Pod, ...]:
        """The pods that stopped with a reason (OOMKilled, Error …), in AIHC's order."""
        return tuple(pod for pod in self.pods if pod.ended_badly)

    @property
    def rank_zero_pod(self) -> Pod | None:
        """The rank-0 pod, or the first pod when none is named like rank 0."""
        for pod in self.pods:
            if pod.is_rank_zero:
                return pod
        return self.pods[0] if self.pods else None


class JobRef(DomainModel):
    """What a job mutation returns: the job's id, its name where AIHC says it, the request id."""

    job_id: str
    job_name: str = ""
    request_id: str = ""


class QueueRef(DomainModel):
    """What a queue mutation returns: the queue's name and AIHC's request id."""

    name: str
    request_id: str = ""


class Event(DomainModel):
    """A Kubernetes event of a job or a pod."""

    reason: str = ""
    message: str = ""
    type: str = EventType.NORMAL.value
    count: int = 1
    first_timestamp: datetime | None = None
    last_timestamp: datetime | None = None

    @property
    def is_warning(self) -> bool:
        """Say whether the event is a warning."""
        return self.type.strip().lower() == "warning"


class PodLogs(DomainModel):
    """Log lines of one pod, oldest first, already split on newlines."""

    job_id: str = ""
    pod_name: str = ""
    lines: tuple[str, ...] = ()
    next_marker: str = ""
    """Where the pages AIHC did not send yet begin; empty when none follow or none were read."""


class MetricPoint(DomainModel):
    """One sample; AIHC may send nulls for either part."""

    time: datetime | None = None
    value: float | None = None


class PodMetrics(DomainModel):
    """The series of one metric for one pod."""

    pod_name: str
    points: tuple[MetricPoint, ...] = ()


class JobMetrics(DomainModel):
    """One metric type's series for every pod of a job."""

    job_id: str = ""
    metric_type: MetricType
    pods: tuple[PodMetrics, ...] = ()


class JobNodes(DomainModel):
    """The nodes a job's pods run on."""

    job_id: str = ""
    node_names: tuple[str, ...] = ()


class WebTerminal(DomainModel):
    """A web terminal URL; it grants a shell, so it is shown only ephemerally."""

    url: str


T = TypeVar("T")


class Page(DomainModel, Generic[T]):
    """One page of a list operation; `total` is what AIHC claims, not to be trusted for paging."""

    items: tuple[T, ...] = ()
    total: int | None = None
    page_no: int = 1
    page_size: int = 0
    received: int = 0
    """Entries the answer held, unusable ones included: a page is short when this is."""

    @property
    def is_last(self) -> bool:
        """Say whether no page follows: this one came back short."""
        return self.received < self.page_size
