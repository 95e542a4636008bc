"""How far a training is: a small state folded from its log lines, and the arithmetic of its ETA.

The state lives in the watched job's JSON cursor, so it stays small (well under 1 KiB: a few
numbers and at most `MAX_LOSSES` losses). `advance` folds new log lines into it; a log that never
printed a progress line gives no state at all, never a guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.insight.progress_match import LinePattern, read_visible, visible

MAX_LOSSES = 20
"""Losses kept for the sparkline."""
MAX_LINES = 2000
"""Newest lines read per fold: enough for any poll's worth of training log, bounded whatever."""
SCAN_BUDGET = 256 * 1024
"""Characters read per fold at most, newest lines first (the log tail's own bound): with RE2, a
fold costs at most the patterns times this, a few milliseconds, whatever the lines hold."""
LOSS_DIGITS = 6
"""Significant digits a loss is kept to (Megatron prints seven): keeps the state compact."""

_Count = Annotated[int, Field(ge=0, lt=10**15)]
_Real = Annotated[float, Field(allow_inf_nan=False)]


class Progress(BaseModel):
    """What the log says of a training: step of total, latest losses, pace, when it was seen.

    `epoch` is set when `step` and `total` count batches within that epoch (Lightning), so the
    fraction is of the epoch and no ETA for the run can be told. `step_at` is when `step` was
    first seen: the base for a pace derived from two observations.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    step: _Count | None = None
    total: Annotated[int, Field(gt=0, lt=10**15)] | None = None
    epoch: _Count | None = None
    loss: _Real | None = None
    losses: tuple[_Real, ...] = ()
    secs_per_step: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    step_at: datetime | None = None
    observed_at: datetime

    @field_validator("losses")
    @classmethod
    def _newest_losses(cls, losses: tuple[float, ...]) -> tuple[float, ...]:
        """Keep only the newest `MAX_LOSSES`, whatever a stored cursor held."""
        return losses[-MAX_LOSSES:]

    def to_dict(self) -> dict[str, Any]:
        """Return the state as JSON-ready values, unset fields left out."""
        return self.model_dump(mode="json", exclude_none=True, exclude_defaults=True)

    @classmethod
    def from_dict(cls, raw: object) -> Progress | None:
        """Read a state written by `to_dict`; None for anything else (start afresh)."""
        if not isinstance(raw, dict):
            return None
        try:
            return cls.model_validate(raw)
        except ValidationError:
            return None


def advance(
    state: Progress | None,
    lines: Sequence[str],
    now: datetime,
    rules: Sequence[LinePattern] = (),
) -> Progress | None:
    """Fold new log `lines` (oldest first) into `state`; later lines win, none keeps it as it is.

    User `rules` are tried before the built-in patterns on every line. A pace the log states wins;
    otherwise one is derived from the step moving since it was last seen.
    """
    readings = [r for r in (read_visible(text, rules) for text in _newest(lines)) if r]
    if not readings:
        return state
    step, total, epoch = (state.step, state.total, state.epoch) if state else (None, None, None)
    losses = list(state.losses) if state else []
    stated: float | None = None
    for found in readings:
        if found.step is not None:
            step, epoch = found.step, found.epoch
            total = found.total if found.total is not None else total
        if found.loss is not None:
            losses.append(float(f"{found.loss:.{LOSS_DIGITS}g}"))
        if found.secs_per_step is not None:
            stated = found.secs_per_step
    moved = state is None or step != state.step
    return Progress(
        step=step,
        total=total,
        epoch=epoch,
        loss=losses[-1] if losses else None,
        losses=tuple(losses[-MAX_LOSSES:]),
        secs_per_step=stated or _derived(state, step, epoch, now),
        step_at=now if moved and step is not None else (state.step_at if state else None),
        observed_at=now,
    )


def _newest(lines: Sequence[str]) -> list[str]:
    """Return the visible part of the newest lines within the scan budget, oldest first."""
    texts: list[str] = []
    budget = SCAN_BUDGET
    for line in reversed(lines[-MAX_LINES:]):
        text = visible(line)
        budget -= len(text) + 1
        if budget < 0:
            break
        texts.append(text)
    texts.reverse()
    return texts


def _derived(
    state: Progress | None, step: int | None, epoch: int | None, now: datetime
) -> float | None:
    """Return the pace from the step moved since `state`, or the pace `state` already had."""
    if state is None:
        return None
    if (
        step is not None
        and state.step is not None
        and state.step_at is not None
        and step > state.step
        and epoch == state.epoch
    ):
        seconds = (now - state.step_at).total_seconds()
        if seconds > 0:
            return seconds / (step - state.step)
    return state.secs_per_step


def percent(progress: Progress) -> float | None:
    """Return how much of the total is done, in percent, or None without a step and total."""
    if progress.step is None or progress.total is None:
        return None
    return min(100.0, 100.0 * progress.step / progress.total)


def eta_seconds(progress: Progress) -> float | None:
    """Return the seconds left to the total at the known pace, from when it was observed.

    None when it cannot be told: no total, no pace, the step at or past the total, or a step
    counted within an epoch (the epochs to come are unknown).
    """
    if progress.step is None or progress.total is None or progress.epoch is not None:
        return None
    if progress.secs_per_step is None or progress.step >= progress.total:
        return None
    return (progress.total - progress.step) * progress.secs_per_step
