"""What a running job does besides its plan: hang and idle spells, and the training time they leave.

A spell is [start, end) on the simulated clock, `end` infinite while it lasts. Hung time does not
count as training time, so steps stop while a job hangs and go on from the same step after.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.simulator.model import Job

Spell = tuple[float, float]
Spells = tuple[Spell, ...]
FOREVER = math.inf


def within(spells: Spells, moment: float) -> bool:
    """Say whether `moment` falls inside one of the spells."""
    return any(start <= moment < end for start, end in spells)


def begin(spells: Spells, now: float) -> Spells:
    """Start a spell at `now` that lasts until ended (unchanged when one already holds)."""
    if within(spells, now):
        return spells
    return (*_until(spells, now), (now, FOREVER))


def end(spells: Spells, now: float) -> Spells:
    """End every spell at `now`: the one holding stops, later ones are dropped."""
    return _until(spells, now)


def _until(spells: Spells, now: float) -> Spells:
    return tuple((start, min(stop, now)) for start, stop in spells if start < now)


def is_hung(job: Job, moment: float) -> bool:
    """Say whether the job's rank 0 is stuck at `moment`."""
    return within(job.hangs, moment)


def is_idle(job: Job, moment: float) -> bool:
    """Say whether the job's GPUs wait at `moment` while its log goes on."""
    return within(job.idles, moment)


def trained(job: Job, since: float, moment: float) -> float:
    """Seconds of training between `since` and `moment`: the time not spent hung."""
    if moment <= since:
        return 0.0
    lost = sum(max(0.0, min(stop, moment) - max(start, since)) for start, stop in job.hangs)
    return moment - since - lost


def moment_of(job: Job, since: float, seconds: float) -> float:
    """The first moment after `since` by which the job has trained `seconds` (inf: never)."""
    moment = since + seconds
    if not job.hangs:
        return moment
    for start, stop in sorted(job.hangs):
        if stop <= since or start >= moment:
            continue
        moment += stop - max(start, since)
    return moment


KEYS = ("hang", "idle", "restart")
MAX_CAUSE = 500


@dataclass(frozen=True, slots=True)
class Change:
    """A behaviour change asked through the control API: None leaves that part as it is."""

    hang: bool | None = None
    idle: bool | None = None
    restart: str | None = None


def parse_change(body: dict[str, object]) -> Change:
    """Read `{"hang": bool, "idle": bool, "restart": "cause"}`; ValueError names what is wrong."""
    unknown = sorted(set(body) - set(KEYS))
    if unknown:
        raise ValueError(f"unknown key {unknown[0][:40]!r}: send hang, idle or restart")
    if not body:
        raise ValueError("send at least one of hang, idle or restart")
    for key in ("hang", "idle"):
        if key in body and not isinstance(body[key], bool):
            raise ValueError(f"{key} must be true or false")
    cause = body.get("restart", "")
    if "restart" in body and (
        not isinstance(cause, str) or not 0 < len(cause.strip()) <= MAX_CAUSE
    ):
        message = f"restart must be the restart's cause, a text of 1 to {MAX_CAUSE} characters"
        raise ValueError(message)
    hang, idle = body.get("hang"), body.get("idle")
    return Change(
        hang if isinstance(hang, bool) else None,
        idle if isinstance(idle, bool) else None,
        cause.strip() if isinstance(cause, str) and "restart" in body else None,
    )


def apply(job: Job, change: Change, now: float) -> None:
    """Start or end the job's hang and idle spells at `now` (a restart is the lifecycle's)."""
    if change.hang is not None:
        job.hangs = begin(job.hangs, now) if change.hang else end(job.hangs, now)
    if change.idle is not None:
        job.idles = begin(job.idles, now) if change.idle else end(job.idles, now)
