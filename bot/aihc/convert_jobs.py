"""Turn job, pod, event, log and metric payloads into secret-free domain objects, and job
create requests into JSON.

Pools, nodes and queues are `convert`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from bot.aihc import wire
from bot.domain import (
    Datasource,
    EnvVar,
    Event,
    FaultToleranceConfig,
    Job,
    JobFramework,
    JobMetrics,
    JobNodes,
    JobSpec,
    JobStatus,
    MetricPoint,
    MetricType,
    Pod,
    PodLogs,
    PodMetrics,
    Priority,
    Resource,
)
from bot.domain.logtext import bound_lines

_SECRET_KEY = re.compile(
    r"pass(word|wd)?\b|passwd|password|pwd|secret|token|credential|private[_.-]?key"
    r"|access[_.-]?key|api[_.-]?key|authorization|raw-request",
    re.IGNORECASE,
)


def is_secret_key(name: str) -> bool:
    """Say whether a label or variable name looks like it holds a credential."""
    return bool(_SECRET_KEY.search(name))


def _resources(items: Iterable[wire.ResourcePayload]) -> tuple[Resource, ...]:
    return tuple(
        Resource(name=item.name, quantity=item.quantity)
        for item in items
        if item.name and item.quantity is not None
    )


def _envs(items: Iterable[wire.EnvPayload]) -> tuple[EnvVar, ...]:
    return tuple(
        EnvVar(name=item.name, value=item.value)
        for item in items
        if item.name and not is_secret_key(item.name)
    )


def pod_from_wire(payload: wire.PodPayload) -> Pod:
    """Build a pod; its annotations and environment never get this far."""
    return Pod(
        name=payload.object_meta.name,
        replica_type=payload.replica_type,
        phase=payload.pod_status.pod_phase,
        status_text=payload.pod_status.status,
        ip=payload.pod_ip,
        node_name=payload.node_name,
        restart_count=payload.restart_count,
        created_at=payload.object_meta.creation_timestamp,
        reason=payload.reason,
        finished_at=payload.finished_at,
    )


def job_from_wire(payload: wire.JobPayload, *, pool_id: str = "") -> Job:
    """Build a job, reading the nested job spec where the flat fields are missing."""
    spec = payload.job_spec
    status = JobStatus.parse(payload.status)
    labels = {
        label.key: label.value
        for label in payload.labels
        if label.key and not is_secret_key(label.key)
    }
    return Job(
        id=payload.job_id,
        name=payload.name,
        pool_id=payload.resource_pool_id or pool_id,
        queue=payload.queue,
        status=status,
        status_text=payload.status or status.value,
        priority=Priority.parse(payload.priority),
        priority_text=payload.priority,
        framework=JobFramework.parse(payload.job_framework)
        or JobFramework.for_job_id(payload.job_id),
        command=payload.command or spec.command,
        image=payload.image or spec.image,
        replicas=payload.replicas if payload.replicas is not None else spec.replicas,
        created_at=payload.created_at,
        scheduled_at=payload.scheduled_at,
        running_at=payload.running_at,
        finished_at=payload.finished_at,
        bccl_status=payload.enable_bccl_status,
        bccl_error=payload.enable_bccl_error_reason,
        resources=_resources(payload.resources or spec.resources),
        labels=labels,
        envs=_envs(payload.envs or spec.envs),
        datasources=tuple(
            Datasource(type=d.type, name=d.name, mount_path=d.mount_path)
            for d in payload.datasources
        ),
        fault_tolerance=bool(payload.enable_fault_tolerance),
        enable_rdma=bool(
            payload.enable_rdma if payload.enable_rdma is not None else spec.enable_rdma
        ),
        queueing_sequence=payload.queueing_sequence,
        pods=tuple(pod_from_wire(pod) for pod in payload.pod_list.pods if pod.object_meta.name),
    )


def event_from_wire(payload: wire.EventPayload) -> Event:
    """Build an event."""
    return Event(
        reason=payload.reason,
        message=payload.message,
        type=payload.type or "Normal",
        count=payload.count if payload.count is not None and payload.count > 0 else 1,
        first_timestamp=payload.first_timestamp,
        last_timestamp=payload.last_timestamp or payload.first_timestamp,
    )


def split_log_lines(chunks: Iterable[str]) -> tuple[str, ...]:
    """Split log records (each holding one or many lines) into bounded lines, newest kept.

    A progress bar's `\\r` redraws fold into their last state and a long line is cut with a
    marker, so no layer above ever holds more than `logtext` lets through.
    """
    lines: list[str] = []
    for chunk in chunks:
        parts = chunk.split("\n")
        if parts and parts[-1] == "":
            parts.pop()
        lines.extend(parts)
    return bound_lines(lines)


def logs_from_wire(payload: wire.LogPayload, *, job_id: str, pod_name: str) -> PodLogs:
    """Build a pod's log lines."""
    return PodLogs(
        job_id=payload.job_id or job_id,
        pod_name=payload.pod_name or pod_name,
        lines=split_log_lines(payload.logs),
        next_marker=payload.next_marker,
    )


def metrics_from_wire(
    payload: wire.MetricsPayload, *, job_id: str, metric_type: MetricType
) -> JobMetrics:
    """Build a job's metric series."""
    return JobMetrics(
        job_id=payload.job_id or job_id,
        metric_type=metric_type,
        pods=tuple(
            PodMetrics(
                pod_name=pod.pod_name,
                points=tuple(MetricPoint(time=p.time, value=p.value) for p in pod.metrics),
            )
            for pod in payload.pod_metrics
        ),
    )


def job_nodes_from_wire(payload: wire.JobNodesPayload, *, job_id: str) -> JobNodes:
    """Build the list of a job's nodes."""
    return JobNodes(job_id=payload.job_id or job_id, node_names=tuple(payload.node_name))


def job_body(spec: JobSpec) -> dict[str, Any]:
    """Serialise a job create request body (credentials revealed only here, for the wire)."""
    job_spec: dict[str, Any] = {
        "image": spec.image,
        "command": spec.command,
        "replicas": spec.replicas,
        "resources": [{"name": r.name, "quantity": r.quantity} for r in spec.resources],
        "envs": [{"name": e.name, "value": e.value} for e in spec.envs],
        "enableRDMA": spec.enable_rdma,
    }
    if spec.image_credentials is not None:
        job_spec["imageConfig"] = {
            "username": spec.image_credentials.username,
            "password": spec.image_credentials.password.get_secret_value(),
        }
    body: dict[str, Any] = {
        "name": spec.name,
        "jobFramework": spec.framework.value,
        "jobSpec": job_spec,
        "labels": [{"key": k, "value": v} for k, v in spec.labels.items()],
        "datasources": [
            {"type": d.type, "name": d.name, "mountPath": d.mount_path} for d in spec.datasources
        ],
        "faultTolerance": spec.fault_tolerance,
        "enableBccl": spec.enable_bccl,
    }
    if spec.queue:
        body["queue"] = spec.queue
    if spec.priority is not None:
        body["priority"] = spec.priority.value
    if spec.fault_tolerance_config is not None:
        body["faultToleranceConfig"] = _tolerance_body(spec.fault_tolerance_config)
    return body


def _tolerance_body(config: FaultToleranceConfig) -> dict[str, Any]:
    # Keys and types of Baidu's Go SDK, services/aihc/api/v1/aiJob.go:213-218
    # (OpenAPIJobFaultToleranceConfig); the aihc CLI 1.1.1 names the first three alike
    # (aihc_cli_py/create_job_request.py:127-131). Unset values are left out: AIHC's default.
    values: dict[str, Any] = {
        "enabledHangDetection": config.enable_hang_detection,
        "hangDetectionTimeoutMinutes": config.hang_detection_timeout_minutes,
        "faultToleranceLimit": config.fault_tolerance_limit,
        "customFaultTolerancePattern": list(config.custom_patterns) or None,
    }
    return {key: value for key, value in values.items() if value is not None}
