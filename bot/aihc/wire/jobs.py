"""AIHC v1 wire models of jobs, pods, events, logs and metrics (`<X>Payload`), read tolerantly."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from bot.aihc.wire.tolerant import (
    AnObject,
    Count,
    Flag,
    Number,
    Objects,
    OptInt,
    Text,
    Texts,
    Time,
    WirePayload,
)
from bot.domain.quantity import memory_gib


def _labels(value: object) -> Any:
    # Labels come as [{key, value}] in job payloads but as a plain mapping on pod metadata.
    if isinstance(value, Mapping):
        return [{"key": k, "value": v} for k, v in value.items()]
    return value


class LabelPayload(WirePayload):
    """A job label."""

    key: Text = ""
    value: Text = ""


def _quantity(value: object) -> Any:
    # Baidu's CLI sends job memory with a unit, "16.0GB" (aihc_cli_py create_job_request.py
    # :199-201), and a live answer may echo it: read it as GiB (Baidu writes GB for GiB) rather
    # than drop the resource. A plain number, or anything else, goes to the usual reading.
    if isinstance(value, str) and value.strip()[-1:].isalpha():
        return memory_gib(value)
    return value


class ResourcePayload(WirePayload):
    """A resource request."""

    name: Text = ""
    quantity: Annotated[Number, BeforeValidator(_quantity)] = None


class EnvPayload(WirePayload):
    """An environment variable."""

    name: Text = ""
    value: Text = ""


class DatasourcePayload(WirePayload):
    """A mounted datasource (its `options` are not read)."""

    type: Text = ""
    name: Text = ""
    mount_path: Text = ""


class JobSpecPayload(WirePayload):
    """The nested job spec some answers carry; `imageConfig` (credentials) is never read."""

    image: Text = ""
    command: Text = ""
    replicas: OptInt = None
    resources: Annotated[list[ResourcePayload], Objects] = Field(default_factory=list)
    envs: Annotated[list[EnvPayload], Objects] = Field(default_factory=list)
    enable_rdma: Flag = Field(None, alias="enableRDMA")


class ObjectMetaPayload(WirePayload):
    """Pod metadata; `annotations` (which can hold the raw create request) is never read."""

    name: Text = ""
    creation_timestamp: Time = None


class PodStatusPayload(WirePayload):
    """Pod phase (Kubernetes) and display status."""

    pod_phase: Text = ""
    status: Text = ""


class PodPayload(WirePayload):
    """A pod of a job; its `envs` are never read."""

    pod_ip: Text = Field("", alias="podIP")
    node_name: Text = ""
    object_meta: Annotated[ObjectMetaPayload, AnObject] = Field(default_factory=ObjectMetaPayload)
    pod_status: Annotated[PodStatusPayload, AnObject] = Field(default_factory=PodStatusPayload)
    replica_type: Text = ""
    restart_count: Count = 0
    # Why the pod ended, and when (Go SDK services/aihc/api/v1/aiJob.go:79-80).
    reason: Text = ""
    finished_at: Time = None


class PodListPayload(WirePayload):
    """The pods of a job."""

    pods: Annotated[list[PodPayload], Objects] = Field(default_factory=list)


class JobPayload(WirePayload):
    """A job as list items and the detail answer show it."""

    job_id: Text = ""
    name: Text = ""
    resource_pool_id: Text = ""
    queue: Text = ""
    status: Text = ""
    priority: Text = ""
    job_framework: Text = ""
    command: Text = ""
    image: Text = ""
    replicas: OptInt = None
    created_at: Time = None
    finished_at: Time = None
    # Queue wait and run time (Go SDK services/aihc/api/v1/aiJob.go:20-21).
    running_at: Time = None
    scheduled_at: Time = None
    # BCCL injection outcome (Go SDK services/aihc/api/v1/aiJob.go:38-40).
    enable_bccl_status: Text = ""
    enable_bccl_error_reason: Text = ""
    datasources: Annotated[list[DatasourcePayload], Objects] = Field(default_factory=list)
    labels: Annotated[list[LabelPayload], Objects, BeforeValidator(_labels)] = Field(
        default_factory=list
    )
    envs: Annotated[list[EnvPayload], Objects] = Field(default_factory=list)
    resources: Annotated[list[ResourcePayload], Objects] = Field(default_factory=list)
    enable_fault_tolerance: Flag = None
    enable_rdma: Flag = Field(None, alias="enableRDMA")
    queueing_sequence: OptInt = None
    job_spec: Annotated[JobSpecPayload, AnObject] = Field(default_factory=JobSpecPayload)
    pod_list: Annotated[PodListPayload, AnObject] = Field(default_factory=PodListPayload)


class JobListPayload(WirePayload):
    """Result of job list: an object with the page, not an array."""

    jobs: Annotated[list[JobPayload], Objects] = Field(default_factory=list)
    total: OptInt = None
    page_no: OptInt = None
    page_size: OptInt = None


class JobRefPayload(WirePayload):
    """Result of job create, delete, stop and priority."""

    job_id: Text = ""
    job_name: Text = ""


class EventPayload(WirePayload):
    """A Kubernetes event."""

    reason: Text = ""
    message: Text = ""
    type: Text = ""
    count: OptInt = None
    first_timestamp: Time = None
    last_timestamp: Time = None


class EventListPayload(WirePayload):
    """Job and pod events: sent bare as `{events, total}`, no `result` wrapper."""

    events: Annotated[list[EventPayload], Objects] = Field(default_factory=list)
    total: OptInt = None


class LogPayload(WirePayload):
    """Pod logs: each entry holds `chunk` lines (all of them when chunk is 0).

    `nextMarker` names the page that follows (Go SDK services/aihc/api/v1/aiJob.go:364-369).
    """

    job_id: Text = ""
    pod_name: Text = ""
    logs: Texts = Field(default_factory=list)
    next_marker: Text = ""


class MetricPointPayload(WirePayload):
    """One metric sample."""

    time: Time = None
    value: Number = None


class PodMetricsPayload(WirePayload):
    """A pod's series."""

    pod_name: Text = ""
    metrics: Annotated[list[MetricPointPayload], Objects] = Field(default_factory=list)


class MetricsPayload(WirePayload):
    """Result of job metrics."""

    job_id: Text = ""
    pod_metrics: Annotated[list[PodMetricsPayload], Objects] = Field(default_factory=list)


class JobNodesPayload(WirePayload):
    """Result of job nodes: `jobID` and `nodeName`, an array."""

    job_id: Text = ""
    node_name: Texts = Field(default_factory=list)


class WebTerminalPayload(WirePayload):
    """Result of web terminal: `WebTerminalUrl`."""

    web_terminal_url: Text = ""
