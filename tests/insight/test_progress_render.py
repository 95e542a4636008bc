"""The card's progress lines as people read them, in English and Chinese."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.insight.progress import Progress
from bot.slack.i18n import Lang
from bot.slack.render.progress import pace_text, percent_text, progress_lines

T0 = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def state(**fields: object) -> Progress:
    """Return a progress state observed at T0."""
    return Progress.model_validate({"observed_at": T0, **fields})


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "step 16 / 500,000 (0.003 %) · 3.8 s/step · ETA 21d 23h"),
        ("zh", "第 16 / 500,000 步（0.003 %） · 3.8 秒/步 · 预计还需 21天 23小时"),
    ],
)
def test_the_step_line_says_step_total_percent_pace_and_eta(lang: Lang, line: str) -> None:
    progress = state(step=16, total=500_000, secs_per_step=3.8013)
    assert progress_lines(progress, lang=lang) == [line]


@pytest.mark.parametrize(
    ("fields", "en", "zh"),
    [
        ({"step": 14_000}, "step 14,000", "第 14,000 步"),
        (
            {"step": 14_000, "secs_per_step": 0.19},
            "step 14,000 · 0.19 s/step",
            "第 14,000 步 · 0.19 秒/步",
        ),
        (
            {"step": 5000, "total": 5000, "secs_per_step": 1.79},
            "step 5,000 / 5,000 (100 %) · 1.8 s/step",
            "第 5,000 / 5,000 步（100 %） · 1.8 秒/步",
        ),
        (
            {"step": 150, "total": 5000},
            "step 150 / 5,000 (3.0 %)",
            "第 150 / 5,000 步（3.0 %）",
        ),
        (
            {"step": 450, "total": 1000, "epoch": 3, "secs_per_step": 0.186},
            "epoch 3 · step 450 / 1,000 (45 %) · 0.19 s/step",
            "第 3 轮 · 第 450 / 1,000 步（45 %） · 0.19 秒/步",
        ),
    ],
)
def test_what_is_unknown_is_left_out_never_guessed(
    fields: dict[str, object], en: str, zh: str
) -> None:
    progress = state(**fields)
    assert progress_lines(progress, lang="en") == [en]
    assert progress_lines(progress, lang="zh") == [zh]


def test_the_loss_line_shows_the_latest_loss_and_a_sparkline_of_the_recent_ones() -> None:
    progress = state(step=30, total=100, loss=9.0, losses=[11.0, 10.5, 10.0, 9.5, 9.0])
    step, loss = progress_lines(progress, lang="en")
    assert step == "step 30 / 100 (30 %)"
    assert loss == "loss 9 █▇▅▃▁"
    assert progress_lines(progress, lang="zh")[1] == "loss 9 █▇▅▃▁"


def test_a_loss_without_a_step_shows_only_the_loss_line() -> None:
    progress = state(loss=1.234, losses=[1.234])
    assert progress_lines(progress, lang="en") == ["loss 1.23 ▅"]


def test_no_state_shows_nothing() -> None:
    assert progress_lines(None, lang="en") == []


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0032, "0.003"),
        (0.0099, "0.009"),
        (0.5, "0.5"),
        (3.0, "3.0"),
        (9.99, "9.9"),
        (45.6, "45"),
        (99.99, "99"),
        (100.0, "100"),
        (0.0, "0"),
        (1e-9, "0.000000"),
    ],
)
def test_a_percentage_is_never_rounded_up(value: float, text: str) -> None:
    assert percent_text(value) == text


@pytest.mark.parametrize(
    ("secs", "text"),
    [(3.8013, "3.8"), (0.1855, "0.19"), (42.4, "42"), (1250.0, "1,250"), (0.004, "0.004")],
)
def test_a_pace_has_two_significant_digits(secs: float, text: str) -> None:
    assert pace_text(secs) == text
