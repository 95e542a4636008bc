"""The simulated world's records: mutable, slotted, and serialised only by `wire`."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain import JobFramework, JobStatus


@dataclass(slots=True)
class Node:
    """A node of a pool; `name` is the node's IP, as AIHC's `nodeName` shows it."""

    name: str
    instance_id: str
    gpu_type: str
    gpu_total: int
    gpu_allocated: int
    status_phase: str = "running"
    intervention: str = "unintervened"
    zone: str = "zoneF"
    region: str = "bj"
    charging_type: str = "Postpaid"


@dataclass(slots=True)
class Pool:
    """A resource pool with its nodes."""

    id: str
    name: str
    created_at: float
    gpu_resource: str
    nodes: list[Node] = field(default_factory=list)
    region: str = "bj"
    k8s_version: str = "1.22.5"
    created_by: str = ""
    description: str = ""
    pfs_id: str = ""
    cprom_ids: list[str] = field(default_factory=list)
    phase: str = "running"


@dataclass(slots=True)
class Queue:
    """A scheduling queue of a pool; quotas are kept as AIHC returns them, strings."""

    name: str
    pool_id: str
    created_at: float
    parent: str
    queue_type: str = "Regular"
    description: str = ""
    state: str = "Open"
    reclaimable: bool = False
    disable_oversell: bool = False
    queueing_strategy: str = ""
    deserved: dict[str, str] = field(default_factory=dict)
    guarantee: dict[str, str] = field(default_factory=dict)
    capability: dict[str, str] = field(default_factory=dict)
    nodes: dict[str, object] | None = None


@dataclass(slots=True)
class Job:
    """A training job and its planned life: `statuses[i]` holds from `times[i]` on."""

    id: str
    name: str
    pool_id: str
    queue: str
    framework: JobFramework
    created_at: float
    seq: int
    image: str
    command: str
    replicas: int
    gpus_per_replica: int
    gpu_resource: str
    priority: str = "normal"
    outcome: str = "succeeded"
    fault_tolerance: bool = False
    fault_tolerance_config: dict[str, object] = field(default_factory=dict)
    """The create request's `faultToleranceConfig`, only the keys Baidu's Go SDK sends."""
    enable_rdma: bool = True
    enable_bccl: bool = False
    labels: dict[str, str] = field(default_factory=dict)
    envs: list[dict[str, str]] = field(default_factory=list)
    resources: list[dict[str, object]] = field(default_factory=list)
    datasources: list[dict[str, object]] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    statuses: list[JobStatus] = field(default_factory=list)
    restarts: list[float] = field(default_factory=list)
    reason: str = ""
    exit_code: int = 1
    step_seconds: float = 4.0
    pod_nodes: list[str] = field(default_factory=list)
    pod_ips: list[str] = field(default_factory=list)
    extra_logs: dict[str, list[tuple[float, str]]] = field(default_factory=dict)
    pull_password: str = ""
    log_style: str = ""
    """How rank 0 logs (`megatron`, `hf`, `deepspeed`); empty: read from labels, image, command."""
    hangs: tuple[tuple[float, float], ...] = ()
    """Spells [start, end) when rank 0 is stuck: its log stops and its GPUs sit at 0 %."""
    idles: tuple[tuple[float, float], ...] = ()
    """Spells [start, end) when the GPUs wait (about 0 %) while the log goes on."""
    restart_causes: tuple[tuple[float, str], ...] = ()
    """Why each restart forced through the control API happened, by the restart's time."""

    @property
    def pod_names(self) -> list[str]:
        """Name the pods as AIHC does: `<job>-master-0`, `<job>-worker-N` (MPI: launcher)."""
        head = "launcher" if self.framework is JobFramework.MPI else "master"
        workers = self.replicas if self.framework is JobFramework.MPI else self.replicas - 1
        return [f"{self.name}-{head}-0"] + [f"{self.name}-worker-{i}" for i in range(workers)]
