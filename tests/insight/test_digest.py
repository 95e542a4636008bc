"""A digest's numbers: GPU-hours clipped to the period and split by day, queue and owner,
outcomes per day, causes counted, waits, progress and idle episodes; nothing guessed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.domain import CREATOR_LABEL, Job, JobStatus, Priority, Resource
from bot.domain.digest import Digest, DigestPeriod
from bot.insight.causes import Cause
from bot.insight.digest import gpu_hours
from bot.insight.digest_parts import Reads, compose, wait_report
from bot.insight.health import Health, IdleSpell
from bot.insight.progress import Progress
from bot.insight.waiting import WaitReport, why_waiting

END = datetime(2026, 5, 8, 1, 0, tzinfo=UTC)
WEEK_START = END - timedelta(days=7)
H = timedelta(hours=1)
GPU = "baidu.com/a800_80g_cgpu"


def job(
    name: str,
    *,
    status: JobStatus = JobStatus.SUCCEEDED,
    running_at: datetime | None = None,
    finished_at: datetime | None = None,
    gpus: int = 8,
    replicas: int | None = 2,
    queue: str = "default",
    owner: str = "alice",
    created_at: datetime | None = None,
) -> Job:
    """A job of the pool `pool-1` with `gpus` GPUs per replica."""
    return Job(
        id=f"pytorchjob-{name}",
        name=name,
        pool_id="pool-1",
        queue=queue,
        status=status,
        priority=Priority.NORMAL,
        replicas=replicas,
        resources=(Resource(name=GPU, quantity=gpus),),
        labels={CREATOR_LABEL: owner} if owner else {},
        created_at=created_at or (running_at or END) - H,
        running_at=running_at,
        finished_at=finished_at,
    )


def digest(*jobs: Job, period: DigestPeriod = DigestPeriod.WEEKLY, **reads: Any) -> Digest:
    """The digest of `jobs` over the period ending at END."""
    return compose(
        Reads(jobs=jobs, pool_names={"pool-1": "llm-pool"}, **reads),
        period=period,
        end=END,
        pools=["llm-pool"],
    )


def test_a_job_running_across_the_start_counts_only_its_hours_inside() -> None:
    early = job("early", running_at=WEEK_START - 3 * H, finished_at=WEEK_START + 2 * H)
    made = digest(early)
    assert made.gpu_hours == pytest.approx(2 * 16)
    assert made.days[0].gpu_hours[0].gpu_hours == pytest.approx(32)
    assert [day.gpu_hours for day in made.days[1:]] == [[]] * 6


def test_a_job_without_running_at_adds_no_gpu_hours_but_still_finished() -> None:
    never_ran = job("pull-failed", status=JobStatus.FAILED, finished_at=END - 5 * H)
    made = digest(never_ran)
    assert made.gpu_hours == 0
    assert made.queue_hours == []
    assert [(o.status, o.count) for o in made.outcomes] == [("Failed", 1)]


def test_a_running_job_counts_up_to_the_end_of_the_period() -> None:
    running = job("running", status=JobStatus.RUNNING, running_at=END - 5 * H, gpus=4, replicas=1)
    made = digest(running)
    assert made.gpu_hours == pytest.approx(20)
    assert [(r.job.name, r.gpus, r.since) for r in made.running] == [("running", 4, END - 5 * H)]


def test_what_aihc_leaves_out_is_left_out() -> None:
    no_end = job("no-end", status=JobStatus.FAILED, running_at=END - 9 * H)  # no finishedAt
    no_replicas = job("no-replicas", running_at=END - 9 * H, finished_at=END - H, replicas=None)
    made = digest(no_end, no_replicas)
    assert made.gpu_hours == 0
    assert [(o.status, o.count) for o in made.outcomes] == [("Succeeded", 1)]
    assert gpu_hours(no_end, WEEK_START, END) is None


def test_hours_are_split_by_day_and_queue_and_summed_by_owner() -> None:
    day2 = WEEK_START + timedelta(days=2)
    spans = job("spans", running_at=day2 - 12 * H, finished_at=day2 + 12 * H, queue="llm")
    other = job("other", running_at=day2, finished_at=day2 + H, gpus=1, replicas=1, owner="bob")
    made = digest(spans, other)
    hours = [[(p.queue, p.gpu_hours) for p in day.gpu_hours] for day in made.days]
    assert hours[1] == [("llm", pytest.approx(12 * 16))]
    assert hours[2] == [("llm", pytest.approx(12 * 16)), ("default", pytest.approx(1))]
    assert [(o.owner, o.gpu_hours) for o in made.owners] == [
        ("alice", pytest.approx(24 * 16)),
        ("bob", pytest.approx(1)),
    ]
    assert [(p.pool, p.queue) for p in made.queue_hours] == [
        ("llm-pool", "llm"),
        ("llm-pool", "default"),
    ]


def test_outcomes_fall_on_the_day_they_finished() -> None:
    first = job("a", status=JobStatus.FAILED, running_at=WEEK_START, finished_at=WEEK_START + H)
    last = job("b", running_at=END - 3 * H, finished_at=END - H)
    stopped = job("c", status=JobStatus.MANUAL_TERMINATION, finished_at=END - 2 * H)
    before = job("d", running_at=WEEK_START - 9 * H, finished_at=WEEK_START - H)
    made = digest(first, last, stopped, before)
    per_day = [{o.status: o.count for o in day.outcomes} for day in made.days]
    assert per_day[0] == {"Failed": 1}
    assert per_day[6] == {"ManualTermination": 1, "Succeeded": 1}
    assert sum(o.count for o in made.outcomes) == 3


def test_a_daily_digest_has_one_day() -> None:
    made = digest(job("a", running_at=END - 2 * H, finished_at=END - H), period=DigestPeriod.DAILY)
    assert [day.start for day in made.days] == [END - timedelta(days=1)]
    assert made.gpu_hours == pytest.approx(16)


def test_failure_causes_are_counted_most_frequent_first() -> None:
    failed = [
        job(f"f{i}", status=JobStatus.FAILED, finished_at=END - (i + 1) * H) for i in range(4)
    ]
    causes = {
        failed[0].id: Cause("nccl"),
        failed[1].id: Cause("cuda_oom"),
        failed[2].id: Cause("cuda_oom"),
        failed[3].id: Cause("custom", "disk full"),
    }
    made = digest(*failed, causes=causes)
    assert [(c.key, c.text, c.count, c.jobs) for c in made.causes] == [
        ("cuda_oom", "", 2, ["f1", "f2"]),
        ("custom", "disk full", 1, ["f3"]),
        ("nccl", "", 1, ["f0"]),
    ]


def test_the_longest_waiting_jobs_come_first_with_their_reasons() -> None:
    old = job("old", status=JobStatus.PENDING, created_at=END - 30 * H)
    new = job("new", status=JobStatus.PENDING, created_at=END - 2 * H)
    rerun = job("rerun", status=JobStatus.PENDING, running_at=END - 40 * H)
    report = why_waiting(old, queue=None, nodes=None, queue_jobs=[new, old])
    made = digest(new, rerun, old, reports={old.id: report})
    assert [(w.job.name, w.since) for w in made.waiting] == [
        ("old", END - 30 * H),
        ("new", END - 2 * H),
        ("rerun", None),
    ]
    assert wait_report(made.waiting[0].report) == report
    assert wait_report(made.waiting[1].report) is None


def test_progress_and_idle_episodes_come_from_what_the_watcher_keeps() -> None:
    busy = job("busy", status=JobStatus.RUNNING, running_at=END - 50 * H)
    idle = job("idle", status=JobStatus.RUNNING, running_at=WEEK_START - 50 * H, gpus=4, replicas=1)
    unwatched = job("unwatched", status=JobStatus.RUNNING, running_at=END - 10 * H)
    progress = Progress(step=100, total=1000, secs_per_step=2.0, observed_at=END - H)
    healths = {
        busy.id: Health(progress=progress, looked_at=END - H),
        idle.id: Health(
            idle_since=WEEK_START - 5 * H,
            looked_at=WEEK_START + 3 * H,
            # An episode that ended within the period counts too; one before it does not.
            idle_past=(
                IdleSpell(since=WEEK_START - 9 * H, until=WEEK_START - 8 * H),
                IdleSpell(since=END - 30 * H, until=END - 28 * H),
            ),
        ),
    }
    made = digest(busy, idle, unwatched, healths=healths)
    by_name = {r.job.name: r for r in made.running}
    assert Progress.from_dict(by_name["busy"].progress) == progress
    assert by_name["unwatched"].progress == {}
    assert [(e.job.name, e.gpus, e.gpu_hours) for e in made.idle] == [
        ("idle", 4, pytest.approx(12)),
        ("idle", 4, pytest.approx(8)),
    ]


def test_the_digest_round_trips_through_json() -> None:
    waiting = job("waiting", status=JobStatus.PENDING, created_at=END - 3 * H)
    running = job("running", status=JobStatus.RUNNING, running_at=END - 9 * H)
    report = why_waiting(waiting, queue=None, nodes=None, queue_jobs=[waiting])
    progress = Progress(step=5, total=10, observed_at=END - H)
    made = digest(
        waiting,
        running,
        job("done", status=JobStatus.FAILED, running_at=END - 5 * H, finished_at=END - H),
        reports={waiting.id: report},
        healths={running.id: Health(progress=progress, looked_at=END - H)},
        causes={"pytorchjob-done": Cause("nccl")},
    )
    again = Digest.model_validate_json(made.model_dump_json())
    assert again == made
    assert isinstance(wait_report(again.waiting[0].report), WaitReport)
