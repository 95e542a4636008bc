"""Read a failed job's likely cause as its failure notice reads it: the failing (else rank-0)
pod's log tail, the reasons its pods ended with, and its warning events, matched against the
cause rules (the user's first). Digests and App Home both ask it."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from bot.aihc.client import AihcClient
from bot.aihc.errors import AihcError
from bot.domain import Job
from bot.insight.causes import Cause, Rule, likely_cause

TAIL_LINES = 100
"""Log lines a likely cause is read from."""


async def read_cause(aihc: AihcClient, listed: Job, *, rules: Sequence[Rule] = ()) -> Cause | None:
    """Return the likely cause of a failed job, or None when AIHC would not tell (3 reads)."""
    try:
        job = await aihc.get_job(listed.pool_id, listed.id, queue=listed.queue)
        pod = next((p for p in job.pods if p.phase.lower() == "failed"), None) or job.rank_zero_pod
        lines: Sequence[str] = ()
        if pod is not None:
            logs = await aihc.pod_logs(
                job.pool_id, job.id, pod.name, max_lines=TAIL_LINES, queue=listed.queue
            )
            lines = logs.lines
        events = await aihc.job_events(
            job.pool_id, job.id, framework=job.framework, queue=listed.queue
        )
    except AihcError:
        return None
    ended = [f"{p.name}: {p.reason}" for p in job.ended_pods]
    warnings = [f"{e.reason}: {e.message}" for e in events if e.is_warning]
    # Matching runs regexes over up to a hundred long lines: off the event loop.
    return await asyncio.to_thread(likely_cause, [*ended, *lines, *warnings], extra=rules)
