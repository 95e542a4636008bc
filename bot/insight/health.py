"""Is a running training alive and busy? Hang and idle-GPU episodes, folded from periodic looks.

A look is what the watcher fetched of a running job at one time: the new lines of its rank-0 log
and its average GPU utilisation (None when AIHC gave no metrics). `look` folds it into `Health`,
the small state kept with the watched job, and says which episodes began or ended, so each is
told once: a hang when the log and the progress stood still for the hang time (and the GPUs, when
known, idle too), its end when either moves again; idle GPUs when utilisation stayed under the
threshold for the idle time while the log still moved.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.insight.progress import Progress, advance
from bot.insight.progress_match import LinePattern

HANG_GPU_PERCENT = 5.0
"""A silent job whose GPUs work harder than this is busy (a long evaluation), not hung."""
GPU_SAMPLES = 12
"""Average GPU utilisation samples kept for the card's sparkline."""
RESTARTS = 20
IDLE_KEPT = 8
"""Ended idle episodes kept per job, for digests: a week of them at most, for most jobs."""
"""Restart times kept for the card's count."""
LAST_LINE = 300
"""Characters of the last log line kept to show with a hang."""


class Change(StrEnum):
    """An episode that began or ended with one look."""

    HUNG = "hung"
    RESUMED = "resumed"
    IDLE = "idle"


@dataclass(frozen=True)
class Limits:
    """When silence is a hang and low utilisation is idleness."""

    hang: timedelta = timedelta(minutes=30)
    idle: timedelta = timedelta(minutes=60)
    idle_percent: float = 5.0


@dataclass(frozen=True)
class Look:
    """What one look saw: new rank-0 log lines (oldest first) and average GPU utilisation.

    A job's first look may also know how long things stood: the log wrote nothing since
    `quiet_since`, and every GPU sample since `low_since` was under the idle threshold (read from
    AIHC's history, so a job already hung or idle when watching began is told at once).
    """

    lines: Sequence[str] = ()
    gpu_percent: float | None = None
    quiet_since: datetime | None = None
    low_since: datetime | None = None


class IdleSpell(BaseModel):
    """An idle episode told that has ended: from when utilisation fell until the look that saw
    it rise again."""

    model_config = ConfigDict(frozen=True)

    since: datetime
    until: datetime


class Health(BaseModel):
    """What the watcher keeps of a running job between looks (JSON, a few hundred bytes)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    progress: Progress | None = None
    looked_at: datetime | None = None
    moved_at: datetime | None = None
    """The last look whose log grew or whose progress moved (the first look counts)."""
    last_line: str = ""
    gpu: tuple[float, ...] = Field(default=(), max_length=GPU_SAMPLES)
    low_since: datetime | None = None
    """Since when utilisation has stayed under the idle threshold; None while above it."""
    hung_since: datetime | None = None
    """The start of the hang episode told, until the job moves again."""
    idle_since: datetime | None = None
    """The start of the idle episode told, until utilisation rises again."""
    idle_past: tuple[IdleSpell, ...] = Field(default=(), max_length=IDLE_KEPT)
    """The newest idle episodes told that have ended, oldest first."""
    waiting_told: datetime | None = None
    """The start of the waiting spell whose reasons were told (a queued job's)."""
    restart_total: int | None = None
    """The job's restarts (its most restarted pod's) at the last poll; None before the first."""
    restarts: tuple[datetime, ...] = Field(default=(), max_length=RESTARTS)
    """When the newest restarts were seen, oldest first."""

    def restarted(self, total: int, count: int, at: datetime) -> Health:
        """Return this state with the pods' restart total, and `count` new restarts at `at`."""
        times = (*self.restarts, *([at] * min(count, RESTARTS)))[-RESTARTS:]
        return self.model_copy(update={"restart_total": total, "restarts": times})

    @property
    def gpu_percent(self) -> float | None:
        """Return the latest average GPU utilisation, when one was read."""
        return self.gpu[-1] if self.gpu else None

    def face(self) -> tuple[object, ...]:
        """Return what a card shows of this state: a card is edited when it changes."""
        step = (self.progress.step, self.progress.total) if self.progress else None
        gpu = None if self.gpu_percent is None else round(self.gpu_percent / 5)
        return step, gpu, self.hung_since is not None, self.idle_since is not None

    def to_dict(self) -> dict[str, Any]:
        """Return the state as JSON-ready values, unset fields left out."""
        return self.model_dump(mode="json", exclude_none=True, exclude_defaults=True)

    @classmethod
    def from_dict(cls, raw: object) -> Health:
        """Read a state written by `to_dict`; anything else starts afresh."""
        if not isinstance(raw, dict) or not raw:
            return cls()
        try:
            return cls.model_validate(raw)
        except ValidationError:
            return cls()


def look(
    health: Health,
    seen: Look,
    now: datetime,
    limits: Limits,
    rules: Sequence[LinePattern] = (),
) -> tuple[Health, list[Change]]:
    """Fold one look into `health`; return the new state and the episodes that began or ended."""
    progress = advance(health.progress, seen.lines, now, rules)
    stepped = progress is not None and (
        health.progress is None or progress.step != health.progress.step
    )
    first = health.looked_at is None
    if first and seen.quiet_since is not None:
        moved, moved_at = False, seen.quiet_since
    else:
        moved = first or bool(seen.lines) or stepped
        moved_at = now if moved else (health.moved_at or now)
    low = seen.gpu_percent is not None and seen.gpu_percent < limits.idle_percent
    low_since = (health.low_since or seen.low_since or now) if low else None
    busy = seen.gpu_percent is not None and seen.gpu_percent >= HANG_GPU_PERCENT
    changes: list[Change] = []
    hung_since = health.hung_since
    if hung_since is not None and moved:
        hung_since = None
        changes.append(Change.RESUMED)
    elif hung_since is None and now - moved_at >= limits.hang and not busy:
        hung_since = moved_at
        changes.append(Change.HUNG)
    idle_since = health.idle_since if low else None
    # A hung job's GPUs are idle too: the hang is the news, not the idleness.
    start = low_since if hung_since is None and idle_since is None else None
    if start is not None and now - start >= limits.idle:
        idle_since = start
        changes.append(Change.IDLE)
    past = health.idle_past
    if health.idle_since is not None and idle_since is None:
        past = (*past, IdleSpell(since=health.idle_since, until=now))[-IDLE_KEPT:]
    gpu = health.gpu if seen.gpu_percent is None else (*health.gpu, seen.gpu_percent)
    updated = health.model_copy(
        update={
            "progress": progress,
            "looked_at": now,
            "moved_at": moved_at,
            "last_line": seen.lines[-1][-LAST_LINE:] if seen.lines else health.last_line,
            "gpu": gpu[-GPU_SAMPLES:],
            "low_since": low_since,
            "hung_since": hung_since,
            "idle_since": idle_since,
            "idle_past": past,
        }
    )
    return updated, changes


HANG_EVENT = re.compile(r"hang|夯|卡住|卡死", re.IGNORECASE)
"""Words of a warning event that reports a hang (AIHC's own hang detection, when enabled):
no Baidu client names its reason, so the reason and message are searched for them."""


def reports_hang(reason: str, message: str) -> bool:
    """Say whether a warning event reports a hang (bounded text, a plain alternation)."""
    return (
        HANG_EVENT.search(reason[:200]) is not None or HANG_EVENT.search(message[:500]) is not None
    )


def hang_reported(health: Health, at: datetime) -> tuple[Health, list[Change]]:
    """Fold a hang AIHC reported at `at`: a new episode unless one is already told."""
    if health.hung_since is not None:
        return health, []
    return health.model_copy(update={"hung_since": at}), [Change.HUNG]
