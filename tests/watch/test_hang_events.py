"""A hang AIHC reports in a warning event is told as a hang, once, and never also as an event."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.aihc.errors import AihcError
from bot.domain import Event, Job, JobStatus, Pod, PodLogs
from bot.insight.health import Change
from bot.store.tables import WatchedJobRow
from bot.watch.looks import LookConfig
from bot.watch.observe import observe

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
HANG = Event(
    reason="HangDetected",
    message="training hang detected: no progress for 30 minutes",
    type="Warning",
    first_timestamp=NOW - timedelta(minutes=2),
)
OTHER = Event(reason="BackOff", message="Back-off pulling image", type="Warning")


class _Aihc:
    """An AIHC client that knows one running job whose events report a hang."""

    def __init__(self, job: Job, events: Sequence[Event]) -> None:
        self.job = job
        self.events = list(events)

    async def find_job(self, pool_id: str, job_id: str, *, queue: str = "") -> Job:
        return self.job

    async def job_events(self, *args: Any, **kwargs: Any) -> Sequence[Event]:
        return self.events

    async def pod_logs(self, *args: Any, **kwargs: Any) -> PodLogs:
        return PodLogs(lines=(" iteration 16/ 500000 | lm loss: 1.05E+01 |",))

    async def job_metrics(self, *args: Any, **kwargs: Any) -> Any:
        raise AihcError("no metrics here")


async def test_a_reported_hang_is_one_hang_episode_and_no_events_reply() -> None:
    pod = Pod(name="j-master-0", replica_type="master", phase="Running")
    job = Job(id="pytorchjob-1", pool_id="p", status=JobStatus.RUNNING, pods=(pod,))
    row = WatchedJobRow(
        pool_id="p", job_id=job.id, last_status="Running", log_cursors={}, insight={}
    )
    aihc = _Aihc(job, [HANG, OTHER])
    first = await observe(aihc, row, follow_logs=False, tail_lines=5, looks=LookConfig(), now=NOW)  # type: ignore[arg-type]
    assert first.looked is not None
    assert Change.HUNG in first.looked.changes
    assert first.looked.health.hung_since == HANG.first_timestamp
    assert [e.reason for e in first.warnings] == ["BackOff"]
    row.insight = first.looked.health.to_dict()
    later = NOW + timedelta(minutes=1)
    again = await observe(aihc, row, follow_logs=False, tail_lines=5, looks=LookConfig(), now=later)  # type: ignore[arg-type]
    told = again.looked.changes if again.looked is not None else []
    assert Change.HUNG not in told
    assert [e.reason for e in again.warnings] == ["BackOff"]
