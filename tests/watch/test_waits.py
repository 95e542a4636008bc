"""When a queued job is explained: after the pending time, once per waiting spell."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain import Job, JobStatus
from bot.watch.waits import explain_due, waiting_since

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
WAIT = timedelta(minutes=10)


def test_a_job_that_never_ran_waits_since_it_was_created() -> None:
    fresh = Job(id="j", status=JobStatus.PENDING, created_at=T0)
    again = fresh.model_copy(update={"running_at": T0 + timedelta(hours=1)})
    assert waiting_since(fresh, T0 + timedelta(hours=2)) == T0
    assert waiting_since(again, T0 + timedelta(hours=2)) == T0 + timedelta(hours=2)


def test_explained_after_the_pending_time_once_per_spell() -> None:
    job = Job(id="j", status=JobStatus.PENDING, created_at=T0)
    assert not explain_due(job, T0, None, T0 + timedelta(minutes=9), WAIT)
    assert explain_due(job, T0, None, T0 + timedelta(minutes=10), WAIT)
    assert not explain_due(job, T0, T0, T0 + timedelta(minutes=40), WAIT)
    later = T0 + timedelta(hours=3)
    assert explain_due(job, later, T0, later + WAIT, WAIT)
    running = job.model_copy(update={"status": JobStatus.RUNNING})
    assert not explain_due(running, T0, None, T0 + timedelta(hours=1), WAIT)
