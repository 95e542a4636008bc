"""Job, pod, queue and event states as AIHC reports them, compared case-insensitively."""

from __future__ import annotations

from enum import StrEnum


class JobStatus(StrEnum):
    """The status of a training job; `UNKNOWN` stands for anything AIHC invents later."""

    CREATED = "Created"
    PENDING = "Pending"
    SCHEDULED = "Scheduled"
    STARTING = "Starting"
    RUNNING = "Running"
    RESTARTING = "Restarting"
    ABNORMAL = "Abnormal"
    SUCCEEDED = "Succeeded"
    FAILED = "Failed"
    STOPPED = "Stopped"
    MANUAL_TERMINATION = "ManualTermination"
    CANCELLED = "Cancelled"
    UNKNOWN = "Unknown"

    @classmethod
    def parse(cls, raw: str | None) -> JobStatus:
        """Map a status string of any case to a member; unrecognised text gives `UNKNOWN`."""
        if not raw:
            return cls.UNKNOWN
        return _JOB_STATUS_BY_LOWER.get(raw.strip().lower(), cls.UNKNOWN)

    @property
    def is_terminal(self) -> bool:
        """Say whether a job in this status will never run again."""
        return self in TERMINAL_STATUSES

    @property
    def is_active(self) -> bool:
        """Say whether the job still holds or waits for resources."""
        return self not in TERMINAL_STATUSES and self is not JobStatus.UNKNOWN


_JOB_STATUS_BY_LOWER = {member.value.lower(): member for member in JobStatus}
_JOB_STATUS_BY_LOWER["canceled"] = JobStatus.CANCELLED

TERMINAL_STATUSES = frozenset(
    {
        JobStatus.SUCCEEDED,
        JobStatus.FAILED,
        JobStatus.STOPPED,
        JobStatus.MANUAL_TERMINATION,
        JobStatus.CANCELLED,
    }
)


class Priority(StrEnum):
    """A job's scheduling priority."""

    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"

    @classmethod
    def parse(cls, raw: str | None) -> Priority | None:
        """Map a priority of any case to a member, or None when it is not one of the three."""
        if not raw:
            return None
        try:
            return cls(raw.strip().lower())
        except ValueError:
            return None


class JobFramework(StrEnum):
    """The distributed framework a job runs under."""

    PYTORCH = "PyTorchJob"
    MPI = "MPIJob"

    @classmethod
    def parse(cls, raw: str | None) -> JobFramework | None:
        """Read `PyTorchJob`, `pytorch`, `MPIJob`, `mpi` and the like; None when unrecognised."""
        if not raw:
            return None
        text = raw.strip().lower()
        if text.startswith("pytorch"):
            return cls.PYTORCH
        if text.startswith("mpi"):
            return cls.MPI
        return None

    @classmethod
    def for_job_id(cls, job_id: str) -> JobFramework | None:
        """Derive the framework from a job id prefix (`pytorchjob-…`, `mpijob-…`), if it has one.

        A v2 id (`job-oeqpsJhwqq3k`) names no framework: None, and each caller decides.
        """
        return cls.parse(job_id)


class EventType(StrEnum):
    """A Kubernetes event type."""

    NORMAL = "Normal"
    WARNING = "Warning"


class MetricType(StrEnum):
    """Every metric series the job metrics operation can return, one call per type."""

    GPU_USAGE = "GpuUsage"
    GPU_MEMORY_USAGE = "GpuMemoryUsage"
    CPU_USAGE = "CpuUsage"
    MEMORY_USAGE = "MemoryUsage"
    DISK_READ_RATE = "DiskReadRate"
    DISK_WRITE_RATE = "DiskWriteRate"
    RDMA_SEND_DATA_RATE = "RDMASendDataRate"
    RDMA_RECV_DATA_RATE = "RDMARecvDataRate"
    PCIE_SEND_DATA_RATE = "PCIESendDataRate"
    PCIE_RECV_DATA_RATE = "PCIERecvDataRate"
    NVLINK_SEND_DATA_RATE = "NVLinkSendDataRate"
    NVLINK_RECV_DATA_RATE = "NVLinkRecvDataRate"
    GPU_TEMPERATURE = "GpuTemperature"
    GPU_POWER_USAGE = "GpuPowerUsage"
    GPU_PIPE_TENSOR_USAGE = "GpuPipeTensorUsage"
    RDMA_HEALTH = "RDMAHealth"
    RDMA_SEND_ERROR_RATE = "RDMASendErrorRate"
    RDMA_RECV_ERROR_RATE = "RDMARecvErrorRate"
    RDMA_SEND_PACKETS_RATE = "RDMASendPacketsRate"
    RDMA_RECV_PACKETS_RATE = "RDMARecvPacketsRate"
    CPU_TIME = "CpuTime"
    MEMORY_ALLOCATION = "MemoryAllocation"

    @classmethod
    def parse(cls, raw: str) -> MetricType | None:
        """Map a metric name of any case to a member, or None."""
        return _METRIC_BY_LOWER.get(raw.strip().lower())


_METRIC_BY_LOWER = {member.value.lower(): member for member in MetricType}

ROOT_QUEUE_NAME = "63a9f0ea7bb98050796b649e85481845"
"""md5("root"): AIHC's root queue, its own parent, hidden in lists."""
