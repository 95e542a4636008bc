"""What a channel's digest says: the period it covers and what happened in its pools or queues.

The digest's contents are computed by `bot.services.digests` from what AIHC and the watcher
know; the model round-trips through JSON (it rides in an outbox row to the sender).

Numbers that cannot be computed are left out, never guessed: a job without `runningAt` adds no
GPU-hours (nor does one whose GPU count AIHC does not give), a failure whose log was not read
has no cause counted, a job the watcher does not follow has no progress and no idle episode.
GPU-hours are the overlap of `[runningAt, finishedAt or end)` with the period (or one day of
it), times the job's GPUs (per replica × replicas).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict


class DigestPeriod(StrEnum):
    """How often a channel's digest goes out, and so how far back it looks."""

    DAILY = "daily"
    WEEKLY = "weekly"

    @property
    def span(self) -> timedelta:
        """Return how far back a digest of this period looks."""
        return timedelta(days=1 if self is DigestPeriod.DAILY else 7)


class DigestPart(BaseModel):
    """Base of the digest's parts: immutable, unknown keys (older rows) ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class DigestJob(DigestPart):
    """The few fields a digest names a job by."""

    id: str
    name: str = ""
    pool: str = ""
    """The pool's name (its id when AIHC gave no name)."""
    queue: str = ""
    owner: str = ""
    """The AIHC user who created it (its `ai-user-name` label); empty when unknown."""


class QueueHours(DigestPart):
    """GPU-hours one queue's jobs ran."""

    pool: str = ""
    queue: str = ""
    gpu_hours: float = 0.0


class OutcomeCount(DigestPart):
    """How many jobs finished with one status (`Succeeded`, `Failed`, `ManualTermination` …)."""

    status: str
    count: int = 0


class DigestDay(DigestPart):
    """One 24-hour slice of the period, `[start, start + 1 day)`: GPU-hours and outcomes."""

    start: datetime
    gpu_hours: list[QueueHours] = []
    outcomes: list[OutcomeCount] = []


class CauseCount(DigestPart):
    """A likely cause of failures: a catalogue key (`custom`: a user rule's own `text`)."""

    key: str = "unknown"
    text: str = ""
    count: int = 0
    jobs: list[str] = []
    """The names of the first few jobs that failed of it."""


class OwnerHours(DigestPart):
    """GPU-hours one AIHC user's jobs ran (`owner` empty: jobs that name no creator)."""

    owner: str = ""
    gpu_hours: float = 0.0


class WaitingJob(DigestPart):
    """A job queued now: since when (None when unknown) and why, as far as AIHC tells."""

    job: DigestJob
    since: datetime | None = None
    report: dict[str, Any] = {}
    """Why it waits: a `bot.insight.waiting.WaitReport` as JSON (the domain does not know
    insight's types); empty when the reasons could not be read."""


class RunningJob(DigestPart):
    """A job running now: since when, on how many GPUs, and its progress if the watcher knows."""

    job: DigestJob
    since: datetime | None = None
    gpus: int | None = None
    progress: dict[str, Any] = {}
    """A `bot.insight.progress.Progress` as JSON; empty when the job is not watched or its log
    shows no progress."""


class IdleEpisode(DigestPart):
    """A watched job's GPUs stayed nearly unused from `since` to `until` (its last look)."""

    job: DigestJob
    since: datetime
    until: datetime
    gpus: int
    gpu_hours: float
    """GPU-hours idle within the period."""


class Digest(BaseModel):
    """One digest of a channel's pools or queues over `[start, end)`."""

    model_config = ConfigDict(frozen=True)

    period: DigestPeriod
    start: datetime
    end: datetime
    pools: list[str] = []
    """The names of the pools the digest covers."""
    queues: list[str] = []
    """The queues it covers, when the channel follows queues rather than whole pools."""
    days: list[DigestDay] = []
    """GPU-hours per queue and outcomes, per day of the period, oldest first."""
    causes: list[CauseCount] = []
    """Likely causes of the period's failures, most frequent first (those whose log was read)."""
    owners: list[OwnerHours] = []
    """GPU-hours per owner over the period, most first."""
    waiting: list[WaitingJob] = []
    """The longest-waiting queued jobs at `end`, longest first."""
    running: list[RunningJob] = []
    """Jobs running at `end`, the ones holding most GPUs first."""
    idle: list[IdleEpisode] = []
    """Idle-GPU episodes of watched jobs within the period, most GPU-hours first."""
    jobs_read: int = 0
    """Jobs of the covered pools or queues read from AIHC (newest first)."""
    complete: bool = True
    """Every job was read; False when the bound cut the walk short (older jobs left out)."""

    @property
    def queue_hours(self) -> list[QueueHours]:
        """Return GPU-hours per queue over the whole period, most first."""
        totals: dict[tuple[str, str], float] = {}
        for day in self.days:
            for part in day.gpu_hours:
                key = (part.pool, part.queue)
                totals[key] = totals.get(key, 0.0) + part.gpu_hours
        parts = [QueueHours(pool=p, queue=q, gpu_hours=h) for (p, q), h in totals.items()]
        return sorted(parts, key=lambda part: (-part.gpu_hours, part.pool, part.queue))

    @property
    def outcomes(self) -> list[OutcomeCount]:
        """Return how many jobs finished in the period per status, most first."""
        totals: dict[str, int] = {}
        for day in self.days:
            for part in day.outcomes:
                totals[part.status] = totals.get(part.status, 0) + part.count
        counts = [OutcomeCount(status=s, count=c) for s, c in totals.items()]
        return sorted(counts, key=lambda part: (-part.count, part.status))

    @property
    def gpu_hours(self) -> float:
        """Return the GPU-hours the covered jobs ran in the period."""
        return sum(part.gpu_hours for part in self.queue_hours)
