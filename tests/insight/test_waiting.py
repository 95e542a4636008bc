"""Why a job waits, from known queues, nodes and jobs: each reason only when the data holds it."""

from __future__ import annotations

from bot.domain import Job, JobStatus, Node, Priority, Queue, Resource
from bot.insight.waiting import (
    Borrowing,
    JobsAhead,
    NodeShortage,
    QuotaShortfall,
    Reclaim,
    explain,
    why_waiting,
)

GPU = "baidu.com/a800_80g_cgpu"


def job(
    name: str = "waiting-run",
    *,
    gpus: int = 8,
    replicas: int | None = 2,
    status: JobStatus = JobStatus.PENDING,
    priority: Priority | None = Priority.NORMAL,
    seq: int | None = 10,
    queue: str = "team",
) -> Job:
    """A job asking `gpus` GPUs per replica."""
    return Job(
        id=f"pytorchjob-{name}",
        name=name,
        queue=queue,
        status=status,
        priority=priority,
        replicas=replicas,
        queueing_sequence=seq,
        resources=(Resource(name="cpu", quantity=16), Resource(name=GPU, quantity=gpus)),
    )


def queue(
    *,
    allocated: int | None = 0,
    deserved: int | None = 32,
    capability: int | None = 32,
    oversell_disabled: bool | None = False,
    reclaimable: bool | None = False,
    name: str = "team",
) -> Queue:
    """A queue with GPU quotas; None leaves a quota out, as AIHC may."""

    def quota(value: int | None) -> dict[str, str]:
        return {"cpu": "512"} | ({GPU: str(value)} if value is not None else {})

    return Queue(
        name=name,
        allocated=quota(allocated),
        deserved=quota(deserved),
        capability=quota(capability),
        disable_oversell=oversell_disabled,
        reclaimable=reclaimable,
    )


def node(
    allocated: int,
    *,
    total: int = 8,
    phase: str = "running",
    intervention: str = "unintervened",
    descriptor: str = GPU,
) -> Node:
    """An 8-GPU node of the job's type with `allocated` GPUs given out."""
    return Node(
        name=f"10.0.0.{allocated}",
        gpu_descriptor=descriptor,
        gpu_total=total,
        gpu_allocated=allocated,
        status_phase=phase,
        intervention=intervention,
    )


IDLE = [node(0), node(0)]


def test_a_queue_at_its_capability_holds_the_job() -> None:
    report = why_waiting(job(), queue=queue(allocated=24), nodes=IDLE, queue_jobs=[])
    assert report.reasons == (QuotaShortfall(GPU, 16, 32, "capability", 24, never_fits=False),)
    assert report.explained


def test_a_job_larger_than_the_capability_never_fits() -> None:
    report = why_waiting(job(replicas=5), queue=queue(), nodes=None, queue_jobs=None)
    assert report.reasons == (QuotaShortfall(GPU, 40, 32, "capability", 0, never_fits=True),)


def test_over_deserved_without_oversell_is_the_limit() -> None:
    tight = queue(allocated=8, deserved=16, capability=32, oversell_disabled=True)
    report = why_waiting(job(), queue=tight, nodes=IDLE, queue_jobs=[])
    assert report.reasons == (QuotaShortfall(GPU, 16, 16, "deserved", 8, never_fits=False),)


def test_over_deserved_with_oversell_borrows_idle_gpus() -> None:
    lending = queue(allocated=8, deserved=16, capability=32, reclaimable=True)
    report = why_waiting(job(), queue=lending, nodes=IDLE, queue_jobs=[])
    assert report.reasons == (Borrowing(GPU, 16, 8, 16, reclaimable=True),)


def test_free_gpus_count_only_schedulable_nodes_of_the_type() -> None:
    nodes = [
        node(4),
        node(0, intervention="cordoned"),
        node(0, phase="ready_scheduling_disabled"),
        node(0, phase="create_failed"),
        node(0, descriptor="baidu.com/h800_80g_cgpu"),
    ]
    report = why_waiting(job(), queue=queue(), nodes=nodes, queue_jobs=[])
    assert report.reasons == (
        NodeShortage(
            GPU,
            need=16,
            free=4,
            per_replica=8,
            largest_free=4,
            replicas=2,
            placeable=0,
            cordoned=2,
            failed=1,
        ),
    )


def test_enough_free_gpus_in_total_but_no_node_holds_one_replica() -> None:
    report = why_waiting(job(), queue=queue(), nodes=[node(4)] * 4, queue_jobs=[])
    [shortage] = report.reasons
    assert isinstance(shortage, NodeShortage)
    assert (shortage.free, shortage.largest_free, shortage.placeable) == (16, 4, 0)


def test_reclaim_when_the_queue_is_within_its_share_and_others_borrowed() -> None:
    mine = queue(allocated=0, deserved=16)
    borrower = queue(name="other", allocated=24, deserved=8, reclaimable=True)
    keeper = queue(name="keeper", allocated=24, deserved=8, reclaimable=False)
    report = why_waiting(
        job(),
        queue=mine,
        nodes=[node(8), node(8)],
        queue_jobs=[],
        pool_queues=[mine, borrower, keeper],
    )
    assert report.reasons[-1] == Reclaim(GPU, 16, ("other",))


def test_jobs_ahead_by_priority_then_queueing_sequence() -> None:
    others = [
        job("later-normal", seq=11),
        job("earlier-normal", seq=3),
        job("later-high", seq=20, priority=Priority.HIGH),
        job("earlier-low", seq=1, priority=Priority.LOW),
        job("running-high", seq=2, priority=Priority.HIGH, status=JobStatus.RUNNING),
        job("other-queue", seq=1, queue="elsewhere"),
        job("no-sequence", seq=None),
        job("scheduled", seq=5, status=JobStatus.SCHEDULED),
    ]
    report = why_waiting(job(), queue=queue(), nodes=IDLE, queue_jobs=others)
    assert report.reasons == (JobsAhead(3, ("later-high", "earlier-normal", "scheduled"), ""),)


def test_missing_data_leaves_reasons_out() -> None:
    unknown = queue(allocated=None, capability=None, deserved=None)
    report = why_waiting(
        job(priority=None), queue=unknown, nodes=[node(8, descriptor="")], queue_jobs=[job("x")]
    )
    assert report.reasons == ()
    no_replicas = why_waiting(
        job(replicas=None), queue=queue(allocated=30), nodes=None, queue_jobs=None
    )
    assert no_replicas.reasons == ()


def test_allocated_unknown_still_tells_a_job_too_big_for_the_queue() -> None:
    report = why_waiting(job(replicas=8), queue=queue(allocated=None), nodes=None, queue_jobs=None)
    assert report.reasons == (QuotaShortfall(GPU, 64, 32, "capability", None, never_fits=True),)


def test_nothing_explains_the_wait() -> None:
    report = why_waiting(
        job(), queue=queue(allocated=8), nodes=IDLE, queue_jobs=[job("behind", seq=12)]
    )
    assert report.reasons == ()
    assert not report.explained
    assert (report.resource, report.per_replica, report.replicas) == (GPU, 8, 2)


def test_a_job_in_a_nested_queue_is_held_by_that_queues_quota() -> None:
    nested = queue(allocated=24, name="team")
    parent = queue(allocated=24, deserved=64, capability=64, name="org").model_copy(
        update={"children": (nested,)}
    )
    report = explain(job(), queues=[parent], nodes=IDLE, queue_jobs=[], all_jobs_read=True)
    assert report.reasons == (QuotaShortfall(GPU, 16, 32, "capability", 24, never_fits=False),)
