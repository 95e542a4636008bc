"""The progress state: folded from log lines, later lines winning, small, read back as written."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.insight.progress import MAX_LOSSES, Progress, advance, eta_seconds, percent
from bot.insight.progress_rules import parse_progress_rules

T0 = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def megatron(step: int, *, total: int = 500_000, ms: float = 3801.3, loss: float = 10.52) -> str:
    """Return a Megatron `training_log` line."""
    return (
        f" iteration {step:8d}/{total:8d} | consumed samples: {step * 128:12d} | "
        f"elapsed time per iteration (ms): {ms:.1f} | learning rate: 1.500E-04 | "
        f"global batch size:   128 | lm loss: {loss:.6E} | loss scale: 65536.0 |"
    )


def test_no_progress_line_ever_seen_gives_no_state() -> None:
    assert advance(None, ["loading checkpoint", "NCCL INFO ring 0"], T0) is None
    assert advance(None, [], T0) is None


def test_lines_without_progress_leave_a_state_as_it_was() -> None:
    state = advance(None, [megatron(16)], T0)
    assert advance(state, ["saving checkpoint"], T0 + timedelta(minutes=5)) == state


def test_later_lines_win_and_losses_are_kept_in_order() -> None:
    state = advance(None, [megatron(10, loss=11.0), megatron(20, loss=10.5)], T0)
    state = advance(state, [megatron(30, loss=10.0)], T0 + timedelta(seconds=40))
    assert state is not None
    assert (state.step, state.total, state.loss) == (30, 500_000, 10.0)
    assert state.losses == (11.0, 10.5, 10.0)
    assert state.secs_per_step == pytest.approx(3.8013)
    assert state.observed_at == T0 + timedelta(seconds=40)


def test_a_pace_is_derived_from_two_observations_when_no_line_states_it() -> None:
    deepspeed = "[Rank 0] step={}, skipped=0, lr=[0.0001], mom=[(0.9, 0.999)]"
    state = advance(None, [deepspeed.format(100)], T0)
    assert state is not None
    assert state.secs_per_step is None
    state = advance(
        state, [deepspeed.format(110), deepspeed.format(120)], T0 + timedelta(seconds=50)
    )
    assert state is not None
    assert state.secs_per_step == pytest.approx(2.5)
    # The step standing still keeps the pace and the time the step was first seen.
    same = advance(state, [deepspeed.format(120)], T0 + timedelta(seconds=80))
    assert same is not None
    assert same.secs_per_step == pytest.approx(2.5)
    assert same.step_at == T0 + timedelta(seconds=50)
    later = advance(same, [deepspeed.format(130)], T0 + timedelta(seconds=90))
    assert later is not None
    assert later.secs_per_step == pytest.approx(4.0)


def test_a_step_going_back_after_a_restart_keeps_the_last_pace() -> None:
    state = advance(None, [megatron(500)], T0)
    state = advance(state, ["[Rank 0] step=400, skipped=0, lr=[0.1]"], T0 + timedelta(minutes=1))
    assert state is not None
    assert (state.step, state.total) == (400, 500_000)
    assert state.secs_per_step == pytest.approx(3.8013)


def test_a_loss_alone_gives_a_loss_and_a_bar_later_gives_the_step() -> None:
    state = advance(None, ["{'loss': 1.234, 'learning_rate': 4.9e-05, 'epoch': 0.5}"], T0)
    assert state is not None
    assert (state.step, state.loss) == (None, 1.234)
    state = advance(state, [" 3%|▎         | 150/5000 [01:23<45:01,  1.79it/s]"], T0)
    assert state is not None
    assert (state.step, state.total, state.loss) == (150, 5000, 1.234)


def test_a_carriage_return_line_counts_once_with_its_last_redraw() -> None:
    bar = "".join(f"\r{n // 50:3d}%|█| {n}/5000 [01:23<45:01,  1.79it/s]" for n in range(1, 3001))
    state = advance(None, [bar], T0)
    assert state is not None
    assert state.step == 3000


def test_losses_are_bounded_and_the_state_stays_well_under_a_kibibyte() -> None:
    lines = [megatron(step, total=10**14, loss=-1.234567e-300 * step) for step in range(1, 200)]
    state = advance(None, lines, T0)
    assert state is not None
    assert len(state.losses) == MAX_LOSSES
    assert state.losses[-1] == pytest.approx(-1.234567e-300 * 199, rel=1e-5)
    assert len(json.dumps(state.to_dict())) < 600


def test_the_state_round_trips_through_json() -> None:
    state = advance(None, [megatron(16, loss=10.52), megatron(17, loss=10.49)], T0)
    assert state is not None
    again = Progress.from_dict(json.loads(json.dumps(state.to_dict())))
    assert again == state


@pytest.mark.parametrize(
    "raw",
    [None, "step 16", [], {"step": 1}, {"step": -1, "observed_at": T0.isoformat()}],
)
def test_a_stored_state_that_cannot_be_read_is_dropped_not_guessed(raw: object) -> None:
    assert Progress.from_dict(raw) is None


def test_a_stored_state_with_too_many_losses_keeps_the_newest() -> None:
    raw = {"losses": list(range(50)), "loss": 49, "observed_at": T0.isoformat()}
    state = Progress.from_dict(raw)
    assert state is not None
    assert state.losses == tuple(float(v) for v in range(30, 50))


def test_user_rules_are_tried_before_the_built_in_ones() -> None:
    rules = parse_progress_rules([r"iteration\s+(?P<step>\d+)/\s*(?P<total>\d+) \| custom"]).rules
    line = " iteration       16/  500000 | custom | lm loss: 1.0520E+01 |"
    state = advance(None, [line], T0, rules)
    # Their rule matched first and says nothing of a loss; ours would have read one.
    assert state is not None
    assert (state.step, state.loss) == (16, None)
    ours = advance(None, [line], T0)
    assert ours is not None
    assert ours.loss == 10.52


def at(
    step: int | None, total: int | None, secs: float | None, epoch: int | None = None
) -> Progress:
    """Return a state at `step` of `total` with a pace of `secs`."""
    return Progress(step=step, total=total, secs_per_step=secs, epoch=epoch, observed_at=T0)


@pytest.mark.parametrize(
    ("progress", "eta"),
    [
        (at(16, 500_000, 3.8013), (500_000 - 16) * 3.8013),
        (at(0, 10, 1.0), 10.0),
        (at(10, 10, 1.0), None),  # done
        (at(12, 10, 1.0), None),  # past the total (a resumed run with a shorter schedule)
        (at(5, None, 1.0), None),  # no total
        (at(5, 10, None), None),  # no pace
        (at(5, 10, 1.0, epoch=3), None),  # steps within an epoch: the epochs to come are unknown
        (at(None, None, None), None),
    ],
)
def test_eta_arithmetic(progress: Progress, eta: float | None) -> None:
    assert eta_seconds(progress) == (None if eta is None else pytest.approx(eta))


def test_percent_is_of_the_total_and_never_over_a_hundred() -> None:
    assert percent(at(16, 500_000, None)) == pytest.approx(0.0032)
    assert percent(at(12, 10, None)) == 100.0
    assert percent(at(5, None, None)) is None


def test_only_the_newest_quarter_mebibyte_of_lines_is_read() -> None:
    noise = ["x" * 4000] * 100
    assert advance(None, [megatron(1), *noise], T0) is None
    state = advance(None, [megatron(1), *noise, megatron(2)], T0)
    assert state is not None
    assert state.step == 2
