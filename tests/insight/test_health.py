"""Hang and idle episodes: each told once when it begins, a hang's end told when the job moves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.insight.health import Change, Health, Limits, Look, look

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
LIMITS = Limits(hang=timedelta(minutes=30), idle=timedelta(minutes=60), idle_percent=5.0)
STEP = " iteration {step}/  500000 | elapsed time per iteration (ms): 3801.3 | lm loss: 1.05E+01 |"


def _run(looks: list[tuple[int, Look]]) -> list[tuple[int, list[Change]]]:
    """Fold looks at the given minutes after T0; return the changes each told."""
    health, told = Health(), []
    for minute, seen in looks:
        health, changes = look(health, seen, T0 + timedelta(minutes=minute), LIMITS)
        told.append((minute, changes))
    return told


def _training(step: int, gpu: float | None = 90.0) -> Look:
    return Look(lines=[STEP.format(step=step)], gpu_percent=gpu)


def test_a_silent_job_with_idle_gpus_is_told_hung_once_and_resumed_once() -> None:
    told = _run(
        [
            (0, _training(10)),
            (5, Look(gpu_percent=0.0)),
            (30, Look(gpu_percent=0.0)),
            (35, Look(gpu_percent=0.0)),
            (60, Look(gpu_percent=0.0)),
            (65, _training(11)),
            (70, _training(12)),
        ]
    )
    assert told == [
        (0, []),
        (5, []),
        (30, [Change.HUNG]),
        (35, []),
        (60, []),
        (65, [Change.RESUMED]),
        (70, []),
    ]


def test_a_silent_job_whose_gpus_work_is_not_hung() -> None:
    told = _run([(0, _training(10)), (40, Look(gpu_percent=80.0)), (90, Look(gpu_percent=70.0))])
    assert all(changes == [] for _, changes in told)


def test_without_metrics_silence_alone_is_a_hang() -> None:
    told = _run([(0, _training(10, gpu=None)), (31, Look())])
    assert told[-1] == (31, [Change.HUNG])


def test_a_log_that_grows_without_progress_is_alive() -> None:
    chatter = Look(lines=["loading shard 3 of 9"], gpu_percent=0.0)
    told = _run([(0, _training(10)), (20, chatter), (40, chatter), (55, chatter)])
    assert Change.HUNG not in [c for _, changes in told for c in changes]


def test_idle_gpus_while_the_log_goes_on_are_told_once_per_episode() -> None:
    told = _run(
        [
            (0, _training(1, gpu=2.0)),
            (30, _training(2, gpu=1.0)),
            (60, _training(3, gpu=0.5)),
            (90, _training(4, gpu=0.5)),
            (95, _training(5, gpu=60.0)),
            (100, _training(6, gpu=1.0)),
            (160, _training(7, gpu=1.0)),
        ]
    )
    assert told == [
        (0, []),
        (30, []),
        (60, [Change.IDLE]),
        (90, []),
        (95, []),
        (100, []),
        (160, [Change.IDLE]),
    ]


def test_a_hung_job_is_not_also_told_idle() -> None:
    told = _run(
        [(0, _training(1, gpu=0.0)), (30, Look(gpu_percent=0.0)), (61, Look(gpu_percent=0.0))]
    )
    assert [c for _, changes in told for c in changes] == [Change.HUNG]


def test_the_state_round_trips_and_bad_state_starts_afresh() -> None:
    health, _ = look(Health(), _training(16), T0, LIMITS)
    again = Health.from_dict(health.to_dict())
    assert again == health
    assert again.progress is not None
    assert again.progress.step == 16
    assert again.gpu_percent == 90.0
    assert Health.from_dict({"gpu": "lots"}) == Health()
    assert Health.from_dict(None) == Health()
    assert len(str(health.to_dict())) < 1024


def test_a_first_look_that_knows_the_history_tells_at_once() -> None:
    quiet = Look(lines=[STEP.format(step=10)], gpu_percent=0.0, quiet_since=T0 - timedelta(hours=1))
    health, changes = look(Health(), quiet, T0, LIMITS)
    assert changes == [Change.HUNG]
    assert health.progress is not None
    assert health.progress.step == 10
    idle = Look(lines=["x"], gpu_percent=1.0, low_since=T0 - timedelta(minutes=61))
    assert look(Health(), idle, T0, LIMITS)[1] == [Change.IDLE]
    recent = Look(lines=["x"], gpu_percent=1.0, low_since=T0 - timedelta(minutes=20))
    assert look(Health(), recent, T0, LIMITS)[1] == []


def test_an_idle_episode_that_ends_is_kept_with_its_end() -> None:
    health = Health()
    for minute, gpu in ((0, 2.0), (60, 1.0), (90, 60.0), (100, 1.0), (160, 1.0), (170, 80.0)):
        health, _ = look(health, _training(minute, gpu=gpu), T0 + timedelta(minutes=minute), LIMITS)
    assert health.idle_since is None
    assert [(s.since, s.until) for s in health.idle_past] == [
        (T0, T0 + timedelta(minutes=90)),
        (T0 + timedelta(minutes=100), T0 + timedelta(minutes=170)),
    ]
    again = Health.from_dict(health.to_dict())
    assert again.idle_past == health.idle_past
