"""Kubernetes events of a job and of its pods, derived from the job's plan as the clock reads.

Occurrences are generated, filtered by the asked time window, then folded by (reason, message)
the way Kubernetes does: a repeat bumps `count` and `lastTimestamp`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import JobFramework, JobStatus
from bot.simulator.lifecycle import history, is_transient_failure
from bot.simulator.model import Job
from bot.simulator.timefmt import go_time

S = JobStatus
_WARNING = "Warning"
_NORMAL = "Normal"
_RETRY_EVERY = 30.0


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One emission of an event."""

    at: float
    reason: str
    message: str
    type: str = _NORMAL


def failing_pod(job: Job) -> str:
    """Name the pod whose exit fails the job: a worker for NCCL and Xid faults, else rank 0."""
    pods = job.pod_names
    if job.outcome in ("nccl_timeout", "gpu_xid") and len(pods) > 1:
        return pods[-1]
    return pods[0]


def failure_message(job: Job) -> str:
    """The container's terminated message for a failed job."""
    return {
        "cuda_oom": "torch.cuda.OutOfMemoryError: CUDA out of memory.",
        "nccl_timeout": "Watchdog caught collective operation timeout",
        "image_pull": "ImagePullBackOff",
        "gpu_xid": "CUDA error: unspecified launch failure",
    }.get(job.outcome, job.reason)


def job_occurrences(job: Job, now: float) -> list[Occurrence]:
    """Every emission of the job's own events up to `now`."""
    kind = job.framework.value
    head = "Launcher" if job.framework is JobFramework.MPI else "Master"
    out: list[Occurrence] = []
    past = history(job, now)
    for index, (at, status) in enumerate(past):
        until = past[index + 1][0] if index + 1 < len(past) else now
        if status is S.CREATED:
            for pod in job.pod_names:
                out.append(Occurrence(at, "SuccessfulCreatePod", f"Created pod: {pod}"))
                out.append(Occurrence(at, "SuccessfulCreateService", f"Created service: {pod}"))
        elif status is S.PENDING:
            text = (
                f"{job.replicas}/{job.replicas} tasks in gang unschedulable: pod group is not ready"
            )
            out += _repeat(at + 10, until, "Unschedulable", text, _WARNING)
        elif status is S.RUNNING:
            out.append(Occurrence(at, "JobRunning", f"{kind} {job.name} is running."))
        elif status is S.RESTARTING:
            pod = failing_pod(job)
            out.append(Occurrence(at, "ExitedWithCode", f"Pod: default.{pod} exited with code 137"))
            text = f"{kind} {job.name} is restarting because 1 Worker replica(s) failed."
            out.append(Occurrence(at, "JobRestarting", text, _WARNING))
        elif is_transient_failure(job, index):
            out += _fault(job, at)
        elif status.is_terminal:
            out += _ending(job, at, status, head)
    return out


def _fault(job: Job, at: float) -> list[Occurrence]:
    """The container error of a fault that fault tolerance restarts, when its cause is known."""
    cause = dict(job.restart_causes).get(at)
    if not cause:
        return []
    text = f"Error pod {job.pod_names[-1]} container pytorch exitCode: 1 terminated message: "
    return [Occurrence(at, "Error", text + cause, _WARNING)]


def _ending(job: Job, at: float, status: JobStatus, head: str) -> list[Occurrence]:
    kind = job.framework.value
    out: list[Occurrence] = []
    if status is S.SUCCEEDED:
        for pod in job.pod_names:
            out.append(Occurrence(at, "ExitedWithCode", f"Pod: default.{pod} exited with code 0"))
        out.append(Occurrence(at, "JobSucceeded", f"{kind} {job.name} is successfully completed."))
    elif status is S.FAILED:
        pod, code = failing_pod(job), job.exit_code
        text = f"Error pod {pod} container pytorch exitCode: {code} terminated message: "
        out.append(Occurrence(at - 9, "Error", text + failure_message(job), _WARNING))
        exited = f"Pod: default.{pod} exited with code {code}"
        out += [
            Occurrence(at - 9, "ExitedWithCode", exited),
            Occurrence(at, "ExitedWithCode", exited),
        ]
        if job.fault_tolerance:
            text = (
                f"Pytorchjob: {job.name}，  failed to start fault tolerance。"
                "Reason：check all nodes are healthy。"
            )
            out.append(Occurrence(at, "FailedToStartFaultTolerance", text, _WARNING))
        role = head if pod == job.pod_names[0] else "Worker"
        text = f"{kind} {job.name} is failed because 1 {role} replica(s) failed."
        out.append(Occurrence(at, "JobFailed", text))
    out.append(Occurrence(at, "JobTerminated", "Job has been terminated. Deleting PodGroup"))
    out.append(Occurrence(at, "SuccessfulDeletePodGroup", f"Deleted PodGroup: {job.name}"))
    return out


def pod_occurrences(job: Job, pod_index: int, now: float, node_count: int) -> list[Occurrence]:
    """Every emission of one pod's events up to `now`."""
    pod, image = job.pod_names[pod_index], job.image
    node = job.pod_nodes[pod_index] if pod_index < len(job.pod_nodes) else ""
    out: list[Occurrence] = []
    past = history(job, now)
    pulled = False
    for index, (at, status) in enumerate(past):
        until = past[index + 1][0] if index + 1 < len(past) else now
        if status is S.PENDING:
            text = (
                f"0/{node_count} nodes are available: {node_count} Insufficient {job.gpu_resource}."
            )
            out += _repeat(at + 5, until, "FailedScheduling", text, _WARNING)
        elif status is S.SCHEDULED:
            text = f"Successfully assigned default/{pod} to {node}"
            out.append(Occurrence(at, "Scheduled", text))
        elif status is S.STARTING:
            out.append(Occurrence(at, "Pulling", f'Pulling image "{image}"'))
            if job.outcome == "image_pull":
                out += _pull_backoff(image, at, until)
        elif status is S.RUNNING:
            text = (
                f'Container image "{image}" already present on machine'
                if pulled
                else f'Successfully pulled image "{image}" in 301.668397ms'
            )
            pulled = True
            out.append(Occurrence(at, "Pulled", text))
            out.append(Occurrence(at, "Created", "Created container pytorch"))
            out.append(Occurrence(at, "Started", "Started container pytorch"))
        elif status in (S.RESTARTING, S.MANUAL_TERMINATION, S.STOPPED):
            out.append(Occurrence(at, "Killing", "Stopping container pytorch"))
        elif status is S.FAILED and job.outcome == "gpu_xid" and pod == failing_pod(job):
            text = f"GPU-3 on {node} is unhealthy: Xid 79 (GPU has fallen off the bus)"
            out.append(Occurrence(at - 10, "GPUUnhealthy", text, _WARNING))
    return out


def _pull_backoff(image: str, start: float, until: float) -> list[Occurrence]:
    detail = (
        f'Failed to pull image "{image}": rpc error: code = NotFound desc = failed to pull and '
        f'unpack image "{image}": failed to resolve reference "{image}": {image}: not found'
    )
    out: list[Occurrence] = []
    at, delay = start + 2, 10.0
    while at <= until:
        out.append(Occurrence(at, "Pulling", f'Pulling image "{image}"'))
        out.append(Occurrence(at, "Failed", detail, _WARNING))
        out.append(Occurrence(at, "Failed", "Error: ErrImagePull", _WARNING))
        if at + 1 <= until:
            out.append(Occurrence(at + 1, "BackOff", f'Back-off pulling image "{image}"'))
            out.append(Occurrence(at + 1, "Failed", "Error: ImagePullBackOff", _WARNING))
        at, delay = at + delay, min(delay * 2, 300.0)
    return out


def _repeat(start: float, until: float, reason: str, text: str, kind: str) -> list[Occurrence]:
    out: list[Occurrence] = []
    at = start
    while at <= until:
        out.append(Occurrence(at, reason, text, kind))
        at += _RETRY_EVERY
    return out


@dataclass(slots=True)
class _Folded:
    first: Occurrence
    last: float
    count: int = 1


def fold(
    occurrences: list[Occurrence], start: float | None, end: float | None
) -> list[dict[str, object]]:
    """Keep emissions inside [start, end], fold repeats, newest first, as the API shows them."""
    folded: dict[tuple[str, str], _Folded] = {}
    for occ in sorted(occurrences, key=lambda o: o.at):
        if (start is not None and occ.at < start) or (end is not None and occ.at > end):
            continue
        entry = folded.get((occ.reason, occ.message))
        if entry is None:
            folded[(occ.reason, occ.message)] = _Folded(occ, occ.at)
        else:
            entry.last = occ.at
            entry.count += 1
    ordered = sorted(folded.values(), key=lambda f: f.last, reverse=True)
    return [
        {
            "reason": f.first.reason,
            "message": f.first.message,
            "firstTimestamp": go_time(f.first.at),
            "lastTimestamp": go_time(f.last),
            "count": f.count,
            "type": f.first.type,
        }
        for f in ordered
    ]
