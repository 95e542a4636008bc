"""What each kind of notice says: one pydantic model per kind, written by the planner into the
outbox as JSON and read back by the renderer. Text in them came from AIHC; renderers escape it.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from bot.domain import Event, Job, Pod
from bot.domain.digest import Digest
from bot.insight.health import Health
from bot.insight.waiting import WaitReport

ENDED_PODS = 5
"""Pods a failure notice names with the reason they stopped."""


class Payload(BaseModel):
    """Base of notice payloads: immutable; unknown keys (older rows) are ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class JobRef(Payload):
    """The few fields a reply names a job by."""

    id: str
    name: str = ""
    pool: str = ""
    queue: str = ""

    @classmethod
    def of(cls, job: Job) -> JobRef:
        """Return the reference of a job."""
        return cls(id=job.id, name=job.name, pool=job.pool_id, queue=job.queue)


class EventLine(Payload):
    """A warning event series: its reason, message and how often it happened."""

    reason: str = ""
    message: str = ""
    count: int = 1

    @classmethod
    def of(cls, event: Event, count: int) -> EventLine:
        """Return a warning event with its series count, its message bounded."""
        return cls(reason=event.reason, message=event.message[:500], count=count)


class CauseLine(Payload):
    """The likely cause of a failure: a catalogue key, or a user rule's own text (`custom`)."""

    key: str = "unknown"
    text: str = ""


class PodEndLine(Payload):
    """A pod that stopped, the reason AIHC gives (OOMKilled, Error …) and when."""

    pod: str
    reason: str = ""
    finished_at: datetime | None = None

    @classmethod
    def of(cls, pod: Pod) -> PodEndLine:
        """Return a pod's end, its reason bounded."""
        return cls(pod=pod.name, reason=pod.reason[:200], finished_at=pod.finished_at)


class CardPayload(Payload):
    """A status card: the job as the watcher saw it last (no command, no environment), and what
    its looks found (progress, GPU utilisation, hung or idle) where the channel wants them."""

    job: Job
    health: Health | None = None
    waiting: WaitReport | None = None
    """Why the job waits, on the edit made when the watcher found out."""

    @classmethod
    def of(
        cls, job: Job, health: Health | None = None, waiting: WaitReport | None = None
    ) -> CardPayload:
        """Return a card of the job, without what a card never shows."""
        bare = job.model_copy(update={"command": "", "envs": (), "datasources": ()})
        return cls(job=bare, health=health, waiting=waiting)


class TransitionPayload(Payload):
    """A status change, `old → new` (old is None when it was never seen)."""

    job: JobRef
    old: str | None = None
    new: str


class FailurePayload(TransitionPayload):
    """A failure: what likely caused it, who to tell, its warnings and its log tail."""

    cause: CauseLine = Field(default_factory=CauseLine)
    pod: str = ""
    lines: list[str] = Field(default_factory=list)
    events: list[EventLine] = Field(default_factory=list)
    mentions: list[str] = Field(default_factory=list)
    ended: list[PodEndLine] = Field(default_factory=list)


class EventsPayload(Payload):
    """New warning events of a job."""

    job: JobRef
    events: list[EventLine]


class LogsPayload(Payload):
    """New log lines of a followed job, and how many more were not shown."""

    job: JobRef
    pod: str = ""
    lines: list[str]
    skipped: int = 0


class GonePayload(Payload):
    """The job was deleted; `old` is the status it had."""

    job: JobRef
    old: str | None = None


class HangPayload(Payload):
    """A running job whose log and progress stood still: since when, its last line, its GPUs."""

    job: JobRef
    since: datetime
    at: datetime
    last_line: str = ""
    gpu_percent: float | None = None
    mentions: list[str] = Field(default_factory=list)


class ResumedPayload(Payload):
    """A job told hung moved again."""

    job: JobRef
    since: datetime
    at: datetime


class IdlePayload(Payload):
    """A running job whose GPUs stayed nearly unused: how many, since when, the GPU-hours."""

    job: JobRef
    since: datetime
    at: datetime
    gpus: int = 0
    gpu_percent: float | None = None
    mentions: list[str] = Field(default_factory=list)

    @property
    def gpu_hours(self) -> float:
        """Return the GPU-hours spent idle so far."""
        return self.gpus * (self.at - self.since).total_seconds() / 3600


class RestartPayload(Payload):
    """Fault tolerance restarted a job: how often now and in all, and the likely cause."""

    job: JobRef
    status: str = ""
    count: int = 1
    total: int = 1
    cause: CauseLine = Field(default_factory=CauseLine)
    pod: str = ""
    lines: list[str] = Field(default_factory=list)
    events: list[EventLine] = Field(default_factory=list)


class PendingPayload(Payload):
    """A job queued for a while, and why it waits, as far as AIHC's answers tell."""

    job: JobRef
    since: datetime
    at: datetime
    report: WaitReport


class SummaryLine(JobRef):
    """One job of a summary and its change."""

    old: str | None = None
    new: str


class SummaryPayload(Payload):
    """Many jobs of one channel that changed at once."""

    jobs: list[SummaryLine]


class DigestPayload(Payload):
    """A channel's digest, and the zone its schedule reads times in."""

    digest: Digest
    zone: str = "UTC"


NoticePayload = (
    CardPayload
    | TransitionPayload
    | FailurePayload
    | EventsPayload
    | LogsPayload
    | GonePayload
    | SummaryPayload
    | HangPayload
    | ResumedPayload
    | IdlePayload
    | PendingPayload
    | RestartPayload
    | DigestPayload
)
