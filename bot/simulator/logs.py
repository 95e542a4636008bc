"""Pod logs that grow with the simulated clock like real Megatron, Hugging Face and DeepSpeed runs.

Iteration lines are computed from their index (time, loss, throughput are pure functions of the
job and the index), so a tail of a long run costs what the tail holds, not the whole run.
"""

from __future__ import annotations

import math
from bisect import bisect_right

from bot.domain import JobStatus
from bot.simulator.behaviour import moment_of, trained
from bot.simulator.failures import ENDINGS, success
from bot.simulator.lifecycle import history, is_transient_failure, running_spans, status_at
from bot.simulator.model import Job
from bot.simulator.trainlogs import MEGATRON, finish, preamble, report, run_of, steps_for_lines

DEFAULT_LINE_CAP = 10_000
"""Most lines one call returns when it sets no `maxLines` (a real pod's log is bounded too)."""

_WARMUP = 20.0
Entry = tuple[float, int, str]


def pod_log_entries(
    job: Job, pod_index: int, now: float, *, start: float | None, max_lines: int | None
) -> list[Entry]:
    """Return the pod's log at `now`, from `start` on, at most `max_lines` (the newest).

    Each line comes as (time, order, line), oldest first; (time, order) names one line.
    """
    cap = DEFAULT_LINE_CAP if max_lines is None else max(0, max_lines)
    entries = _static_entries(job, pod_index, now)
    if pod_index == 0:
        entries += _iteration_entries(job, now, start, cap)
    if start is not None:
        entries = [e for e in entries if e[0] >= start]
    entries.sort(key=lambda e: (e[0], e[1]))
    return entries[len(entries) - cap :] if cap else []


def _static_entries(job: Job, pod_index: int, now: float) -> list[Entry]:
    pod = job.pod_names[pod_index]
    out: list[Entry] = []
    spans = running_spans(job, now)
    for number, (begin, end) in enumerate(spans):
        out += _at(begin, 0, _preamble(job, pod, begin, resumed=number > 0))
        if end < now or status_at(job, now) is not JobStatus.RUNNING:
            out += _at(end, 5_000_000, _span_end(job, pod_index, end, now))
    if job.outcome == "image_pull" and not spans:
        out += _pull_failure(job, pod, now)
    for number, (at, line) in enumerate(job.extra_logs.get(pod, [])):
        out.append((at, 9_000_000 + number, line))
    return out


def _pull_failure(job: Job, pod: str, now: float) -> list[Entry]:
    # A container that never started has no log; AIHC passes on what Kubernetes says instead.
    starting = [t for t, s in history(job, now) if s is JobStatus.STARTING]
    if not starting or starting[0] + 2 > now:
        return []
    line = (
        f'unable to retrieve container logs: container "pytorch" in pod "{pod}" is waiting to '
        f"start: trying and failing to pull image {job.image}"
    )
    return [(starting[0] + 2, 0, line)]


def _at(when: float, order: int, lines: list[str]) -> list[Entry]:
    return [(when + i * 0.001, order + i, line) for i, line in enumerate(lines)]


def _preamble(job: Job, pod: str, at: float, *, resumed: bool) -> list[str]:
    world = job.replicas * max(job.gpus_per_replica, 1)
    lines = [
        "WARNING:torch.distributed.run:",
        "*****************************************",
        "Setting OMP_NUM_THREADS environment variable for each process to be 1 in default, to "
        "avoid your system being overloaded, please further tune the variable for optimal "
        "performance in your application as needed. ",
        "*****************************************",
        f"{pod}:42:42 [0] NCCL INFO Bootstrap : Using eth0:10.11.3.106<0>",
        f"{pod}:42:42 [0] NCCL INFO NCCL version 2.18.5+cuda12.2",
        f"{pod}:42:310 [0] NCCL INFO Channel 00/32 :    0   1   2   3   4   5   6   7",
        f"{pod}:42:310 [0] NCCL INFO Connected all rings",
    ]
    # Megatron states its parallel layout before NCCL starts; the others print once it is up.
    run = run_of(job)
    where = 4 if run.style == MEGATRON else len(lines)
    lines[where:where] = preamble(run, at, world)
    if resumed:
        lines.append(f"[FT] job {job.name} restarted by fault tolerance, loading latest checkpoint")
    return lines


def _span_end(job: Job, pod_index: int, end: float, now: float) -> list[str]:
    index = bisect_right(job.times, end) - 1
    status = job.statuses[index] if index >= 0 else JobStatus.UNKNOWN
    iteration = _iterations_before(job, end, now)
    if status is JobStatus.RESTARTING or is_transient_failure(job, index):
        return _restart_lines(job, end)
    if status is JobStatus.SUCCEEDED:
        if pod_index != 0:
            return ["training finished, exiting."]
        run = run_of(job)
        if run.style == MEGATRON:
            return success(job, iteration)
        return finish(run, iteration, sum(e - b for b, e in running_spans(job, end)))
    if status is JobStatus.FAILED:
        ending = ENDINGS.get(job.outcome)
        return ending(job, iteration) if ending else []
    return [
        "WARNING:torch.distributed.elastic.agent.server.api:Received 15 death signal, "
        "shutting down workers",
        f"WARNING:torch.distributed.elastic.multiprocessing.api:Sending process 42 closing "
        f"signal SIGTERM (job {job.name} stopped)",
    ]


def _restart_lines(job: Job, at: float) -> list[str]:
    cause = dict(job.restart_causes).get(at, "")
    number = sum(1 for r in job.restarts if r <= at) or 1
    limit = job.fault_tolerance_config.get("faultToleranceLimit", 3)
    first = (
        f"RuntimeError: {cause}"
        if cause
        else f"RuntimeError: NCCL communicator was aborted on rank {job.replicas * 8 - 1}."
    )
    return [first, f"[FT] fault detected on {job.pod_names[-1]}, restarting job ({number}/{limit})"]


def _span_steps(job: Job, begin: float, end: float) -> int:
    """Steps trained in a running span: one per `step_seconds` of unhung time after warm-up."""
    seconds = trained(job, begin, end)
    return 0 if seconds < _WARMUP else int((seconds - _WARMUP) // job.step_seconds) + 1


def _iterations_before(job: Job, moment: float, now: float) -> int:
    return sum(_span_steps(job, b, min(e, moment)) for b, e in running_spans(job, now))


def _iteration_entries(job: Job, now: float, start: float | None, cap: int) -> list[Entry]:
    spans = running_spans(job, now)
    counts = [_span_steps(job, b, e) for b, e in spans]
    run = run_of(job)
    out: list[Entry] = []
    budget = steps_for_lines(run, cap)
    for index in range(len(spans) - 1, -1, -1):
        if budget <= 0:
            break
        begin = spans[index][0]
        base = sum(counts[:index])
        low = 0
        if start is not None:
            low = max(0, math.ceil((trained(job, begin, start) - _WARMUP) / job.step_seconds))
        low = max(low, counts[index] - budget)
        for local in range(low, counts[index]):
            step = base + local + 1
            # Past its total a run has nothing left to report (its process lingers).
            if step % run.every == 0 and step <= run.total:
                at = moment_of(job, begin, _WARMUP + local * job.step_seconds)
                timed = report(run, step, at, begin)
                out += [(t, 1_000_000 + i, line) for i, (t, line) in enumerate(timed)]
        budget -= counts[index] - low
    return out


def chunked(lines: list[str], chunk: int) -> list[str]:
    """Group lines as the API does: `chunk` lines per record, or all in one record when 0."""
    if not lines:
        return []
    size = len(lines) if chunk <= 0 else chunk
    return ["\n".join(lines[i : i + size]) + "\n" for i in range(0, len(lines), size)]
