"""What a running job's training is doing, read on demand: the progress its rank-0 log shows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.aihc.client import AihcClient
from bot.domain import Job, JobStatus, Pool
from bot.insight.progress import Progress, advance
from bot.insight.progress_match import LinePattern
from bot.insight.waiting import is_waiting

PROGRESS_LINES = 200
"""Newest rank-0 log lines read for `job show`: as many as the watcher's look reads."""


class TrainingService:
    """Read a job's progress from its log, with the user's patterns tried first."""

    def __init__(self, *, aihc: AihcClient, rules: Sequence[LinePattern] = ()) -> None:
        self._aihc = aihc
        self._rules = tuple(rules)

    async def progress(self, pool: Pool, job: Job, *, now: datetime) -> Progress | None:
        """Return how far a running job is, from its rank-0 log's newest lines; None otherwise."""
        pod = job.rank_zero_pod
        if job.status is not JobStatus.RUNNING or pod is None:
            return None
        logs = await self._aihc.pod_logs(
            pool.id, job.id, pod.name, max_lines=PROGRESS_LINES, queue=job.queue
        )
        return advance(None, logs.lines, now, self._rules)


async def waiting_jobs(
    aihc: AihcClient, pool_id: str, queue: str, *, max_pages: int
) -> tuple[list[Job], bool]:
    """Return the queued jobs among a queue's newest pages, and whether the walk read them all.

    The jobs ahead of a waiting one are older ones too, so the walk goes to its bound; only the
    waiting jobs are kept.
    """
    waiting: list[Job] = []
    complete = False
    async for page in aihc.job_pages(pool_id, queue=queue or None, max_pages=max_pages):
        waiting.extend(job for job in page.items if is_waiting(job))
        complete = page.is_last
    return waiting, complete
