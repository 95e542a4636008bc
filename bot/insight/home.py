"""What a person's App Home tab shows: their jobs, what each is doing, and who they are here.

`bot.services.home` gathers it from AIHC and the store; `bot.slack.render.home` draws it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from bot.domain import Job, Role
from bot.insight.health import Health
from bot.insight.waiting import WaitReport

FAILED_WITHIN = timedelta(days=7)
"""How far back a failed job still shows on Home."""


@dataclass(frozen=True)
class HomeJob:
    """One of the person's jobs, with what is known of it beyond its status."""

    job: Job
    health: Health | None = None
    """What the watcher saw of a running job, when the job is watched."""
    waiting: WaitReport | None = None
    """Why a queued job waits."""
    cause_key: str = ""
    """A failed job's likely cause: a catalogue key (`cause.<key>`), or `custom`."""
    cause_text: str = ""
    """A user rule's own words, when `cause_key` is `custom`."""
    channels: tuple[str, ...] = ()
    """The channels of this workspace subscribed to the job (directly, by queue or by pool)."""
    pool: str = ""
    """The name of the job's pool (its id when it has none)."""


@dataclass(frozen=True)
class Home:
    """A person's Home: their role, their linked AIHC user and their jobs by what they do."""

    roles: frozenset[Role] = frozenset()
    aihc_user: str | None = None
    running: tuple[HomeJob, ...] = ()
    pending: tuple[HomeJob, ...] = ()
    failed: tuple[HomeJob, ...] = ()
    """Failed within `FAILED_WITHIN`, newest first."""
    complete: bool = True
    """Whether every pool's job list was read to its end (else only its newest jobs were)."""
    unreadable: tuple[str, ...] = field(default=())
    """Pools whose jobs could not be read just now."""

    @property
    def empty(self) -> bool:
        """Say whether no job of the person's shows."""
        return not (self.running or self.pending or self.failed)
