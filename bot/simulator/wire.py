"""The v1 response shapes of pools, nodes, queues and jobs, quirks included.

`live=False` answers exactly as the v1 document's examples; `live=True` adds what Baidu's Go SDK
reads from the live service (`SimConfig.shapes`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.domain import JobStatus
from bot.simulator.lifecycle import finished_at, history, status_at
from bot.simulator.model import Job, Node, Pool, Queue
from bot.simulator.quantity import quantity_number
from bot.simulator.timefmt import rfc3339

S = JobStatus


@dataclass(frozen=True, slots=True)
class QueueLive:
    """What a live-shapes queue adds: its job counts and its rendered child queues."""

    counts: dict[str, int]
    children: list[dict[str, object]]


def pool_body(pool: Pool, *, live: bool) -> dict[str, object]:
    """Render a pool as `resourcePool`; pools carry `id`, the SDK's spelling."""
    gpu_total = sum(n.gpu_total for n in pool.nodes)
    gpu_used = sum(n.gpu_allocated for n in pool.nodes)
    busy = sum(1 for n in pool.nodes if n.gpu_allocated)
    status: dict[str, object] = {
        "gpuCount": {"total": gpu_total, "used": gpu_used},
        "nodeCount": {"total": len(pool.nodes), "used": busy},
        "phase": pool.phase,
    }
    if live:
        # Go's ResourcePoolStatus.GPUDetails (services/aihc/api/v1/resourcePool.go:57,69-73).
        # The descriptor is the resource name quotas and jobs use: the aihc CLI says to fill a
        # GPU resource "按照百度的资源描述符" (aihc_cli_py/create_job_request.py:199-200).
        status["gpuDetail"] = [
            {"gpuDescriptor": pool.gpu_resource, "total": gpu_total, "used": gpu_used}
        ]
    return {
        "metadata": {
            "createdAt": rfc3339(pool.created_at),
            "name": pool.name,
            "id": pool.id,
            "updatedAt": rfc3339(pool.created_at + 86_400),
        },
        "spec": {
            "k8sVersion": pool.k8s_version,
            "associatedCpromIds": pool.cprom_ids or None,
            "associatedPfsId": pool.pfs_id,
            "createdBy": pool.created_by,
            "description": pool.description,
            "forbidDelete": True,
            "region": pool.region,
        },
        "status": status,
    }


def node_body(node: Node, gpu_resource: str, *, live: bool) -> dict[str, object]:
    """Render a node with the document's `"instanceName "` key (trailing space), `instanceID`."""
    body: dict[str, object] = {
        "chargingType": node.charging_type,
        "gpuAllocated": node.gpu_allocated,
        "gpuTotal": node.gpu_total,
        "gpuType": node.gpu_type,
        "instanceID": node.instance_id,
        "instanceName ": node.instance_id,
        "intervention": node.intervention,
        "nodeName": node.name,
        "statusPhase": node.status_phase,
        "zone": node.zone,
        "region": node.region,
    }
    if not live:
        return body
    return {
        **body,
        # Capacity as bce-sdk-go reads it (services/aihc/api/v1/resourcePool.go:118-122);
        # memory in bytes is this simulator's assumption: the unit is documented nowhere.
        "gpuDescriptor": gpu_resource,
        "cpuTotal": 128,
        "cpuAllocated": 16 * node.gpu_allocated,
        "memoryTotal": 1024 << 30,
        "memoryAllocated": (128 << 30) * node.gpu_allocated // max(node.gpu_total, 1),
    }


def queue_body(
    queue: Queue, allocated: dict[str, str], live: QueueLive | None = None
) -> dict[str, object]:
    """Render a queue; quotas are strings, as AIHC answers them; `live` adds counts, children."""
    body: dict[str, object] = {
        "createdTime": rfc3339(queue.created_at),
        "name": queue.name,
        "nameSpace": "",
        "description": queue.description,
        "parentQueue": queue.parent,
        "queueType": queue.queue_type,
        "state": queue.state,
        "reclaimable": queue.reclaimable,
        "disableOversell": queue.disable_oversell,
        "allocated": allocated,
    }
    for key in ("deserved", "guarantee", "capability"):
        value = getattr(queue, key)
        if value:
            body[key] = value
    if queue.queueing_strategy:
        body["queueingStrategy"] = queue.queueing_strategy
    if queue.nodes is not None:
        body["nodes"] = queue.nodes
    if live is not None:
        # Job counts and nested queues (bce-sdk-go services/aihc/api/v1/queue.go:40,60-62).
        body.update(live.counts)
        body["children"] = live.children
    return body


def _first(job: Job, now: float, statuses: tuple[JobStatus, ...]) -> str:
    # Go reads these as strings (services/aihc/api/v1/aiJob.go:20-21); "" while not reached.
    at = next((at for at, status in history(job, now) if status in statuses), None)
    return rfc3339(at) if at is not None else ""


def job_body(job: Job, now: float, *, live: bool) -> dict[str, object]:
    """Render a job as the list shows it."""
    done = finished_at(job, now)
    body: dict[str, object] = {}
    if live:
        body["scheduledAt"] = _first(job, now, (S.SCHEDULED, S.STARTING, S.RUNNING))
        body["runningAt"] = _first(job, now, (S.RUNNING,))
        body.update(_bccl(job, now))
    return body | {
        "jobId": job.id,
        "name": job.name,
        "resourcePoolId": job.pool_id,
        "jobFramework": job.framework.value,
        "command": job.command,
        "createdAt": rfc3339(job.created_at),
        "finishedAt": rfc3339(done) if done is not None else "",
        "datasources": job.datasources,
        "enableFaultTolerance": job.fault_tolerance,
        "labels": [{"key": k, "value": v} for k, v in job.labels.items()],
        "priority": job.priority,
        "queue": job.queue,
        "status": status_at(job, now).value,
        "image": job.image,
        "resources": _resources(job.resources, live=live)
        or [
            {"name": "cpu", "quantity": 16},
            {"name": "memory", "quantity": 128},
            {"name": job.gpu_resource, "quantity": job.gpus_per_replica},
        ],
        "enableRDMA": job.enable_rdma,
        "queueingSequence": job.seq,
        "replicas": job.replicas,
        "envs": job.envs,
    }


def _bccl(job: Job, now: float) -> dict[str, object]:
    # Go reads all three (services/aihc/api/v1/aiJob.go:38-40). `unknown` means not injected
    # yet (the Java SDK's JobItem.enableBcclStatus: success, failed, unknown), and is what the Go
    # CLI's manual shows for a job without BCCL; injection happens as the pods are placed.
    placed = job.enable_bccl and _first(job, now, (S.SCHEDULED, S.STARTING, S.RUNNING)) != ""
    return {
        "enableBccl": job.enable_bccl,
        "enableBcclStatus": "success" if placed else "unknown",
        "enableBcclErrorReason": "",
    }


def _resources(resources: list[dict[str, object]], *, live: bool) -> list[dict[str, object]]:
    # Live answers echo a quantity as it was sent (the aihc CLI sends memory "16.0GB",
    # aihc_cli_py/job.py:55-59); the document's examples show numbers only.
    if live:
        return resources
    return [{**r, "quantity": quantity_number(r.get("quantity"))} for r in resources]


def job_detail_body(job: Job, now: float, *, live: bool) -> dict[str, object]:
    """Render a job with its `podList`, as the detail operation shows it."""
    body = job_body(job, now, live=live)
    if live:
        # Live job details name the framework `pytorch`, not the request's `PyTorchJob`.
        body["jobFramework"] = job.framework.value.removesuffix("Job").lower()
    pods = [pod_body(job, i, now, live=live) for i in range(len(job.pod_names))]
    body["podList"] = {"listMeta": {"totalItems": len(pods)}, "pods": pods}
    return body


_POD_STATE = {
    S.CREATED: ("Pending", "Pending"),
    S.PENDING: ("Pending", "Pending"),
    S.SCHEDULED: ("Pending", "Pending"),
    S.STARTING: ("Pending", "ContainerCreating"),
    S.RUNNING: ("Running", "Running"),
    S.RESTARTING: ("Pending", "Restarting"),
    S.SUCCEEDED: ("Succeeded", "Completed"),
    S.FAILED: ("Failed", "Error"),
}


def pod_phase(job: Job, now: float) -> tuple[str, str]:
    """Return the pods' (Kubernetes phase, display status) for the job's status at `now`."""
    status = status_at(job, now)
    if job.outcome == "image_pull" and status in (S.STARTING, S.FAILED):
        return ("Pending", "ImagePullBackOff")
    return _POD_STATE.get(status, ("Failed", "Terminated"))


def pod_body(job: Job, index: int, now: float, *, live: bool) -> dict[str, object]:
    """Render one pod, annotations (raw create request included) as AIHC leaks them."""
    name = job.pod_names[index]
    role = name.rsplit("-", 2)[-2]
    scheduled = status_at(job, now) not in (S.CREATED, S.PENDING)
    phase, text = pod_phase(job, now)
    done = finished_at(job, now)
    body: dict[str, object] = {
        "PodIP": job.pod_ips[index] if scheduled else "",
        "nodeName": job.pod_nodes[index] if scheduled else "",
        "objectMeta": {
            "annotations": {
                "aijob.cce.baidubce.com/fault-tolerance-enabled": str(job.fault_tolerance).lower(),
                "aijob.cce.baidubce.com/openapi-jobid": job.id,
                "aijob.cce.baidubce.com/raw-request": raw_request(job, job.pull_password),
                "scheduling.k8s.io/group-name": job.name,
                "volcano.sh/task-spec": role,
            },
            "creationTimestamp": rfc3339(job.created_at),
            "labels": {
                "aijob.cce.baidubce.com/openapi-jobid": job.id,
                "training.kubeflow.org/job-name": job.name,
                "training.kubeflow.org/replica-index": name.rsplit("-", 1)[-1],
                "training.kubeflow.org/replica-type": role,
            },
            "name": name,
            "namespace": "default",
        },
        "podStatus": {"podPhase": phase, "status": text},
        "replicaType": role,
        "restartCount": sum(1 for r in job.restarts if r <= now),
        "envs": [*job.envs, {"name": "RANK", "value": str(index)}],
    }
    if live:
        # Why and when the pod ended (bce-sdk-go services/aihc/api/v1/aiJob.go:79-80).
        ended = done is not None
        body["reason"] = ("Completed" if phase == "Succeeded" else text) if ended else ""
        body["finishedAt"] = rfc3339(done) if done is not None else ""
    return body


def raw_request(job: Job, password: str) -> str:
    """Build the `raw-request` annotation: the create request as JSON, secrets and all."""
    return json.dumps(
        {
            "name": job.name,
            "queue": job.queue,
            "priority": job.priority,
            "faultTolerance": job.fault_tolerance,
            "command": job.command,
            "jobFramework": job.framework.value,
            "imagePullSecretUsername": "aihc" if password else "",
            "imagePullSecretPassword": password,
        },
        ensure_ascii=False,
    )
