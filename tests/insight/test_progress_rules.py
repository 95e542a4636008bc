"""Users' progress patterns: validated like cause rules, each bad line named with its reason."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.insight.progress_match import Reading, read_line
from bot.insight.progress_rules import (
    MAX_FILE_BYTES,
    MAX_RULES,
    load_progress_rules,
    parse_progress_rules,
    read_progress_rules,
)

GOOD = (
    "# Our trainer prints `[train] 120/9000 loss=2.31 (0.84 s/step)`.\n"
    r"\[train\] (?P<step>\d+)/(?P<total>\d+) loss=(?P<loss>[0-9.eE+-]+)"
    r" \((?P<secs_per_step>[0-9.]+) s/step\)"
    """

   # Evaluation losses, with no step.
^eval: loss (?P<loss>[0-9.]+)$
"""
)


def test_a_good_file_gives_rules_that_read_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "progress.txt"
    path.write_text(GOOD, encoding="utf-8")
    found = read_progress_rules(path)
    assert (found.error, found.skipped, len(found.rules)) == (None, (), 2)
    line = "2026-11-30 12:00:01 [train] 120/9000 loss=2.31e+00 (0.84 s/step)"
    assert read_line(line, found.rules) == Reading(
        step=120, total=9000, loss=2.31, secs_per_step=0.84
    )
    assert read_line("eval: loss 1.75", found.rules) == Reading(loss=1.75)
    assert read_line("eval: loss 1.75", ()) is None


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (r"(?P<step>\d+) \1", "RE2 cannot use it: invalid escape sequence: \\1"),
        (r"(?P<step>\d+(?=x))", "RE2 cannot use it: invalid perl operator: (?="),
        (r"step (?P<step>\d+", "RE2 cannot use it: missing ): step (?P<step>\\d+"),
        (r"step (\d+) loss ([0-9.]+)", "names no `step` or `loss` group, so a match says nothing"),
        (r"(?P<total>\d+) batches", "names no `step` or `loss` group, so a match says nothing"),
        (
            r"step (?P<step>\d+) lr (?P<lr>[0-9.]+)",
            "unknown group `lr` (use step, total, loss, secs_per_step)",
        ),
        (
            "(?P<step>\\d+)" + "x" * 500,
            "RE2 cannot use it: the pattern is longer than 500 characters",
        ),
    ],
)
def test_a_bad_line_is_skipped_naming_its_line_and_why(line: str, reason: str) -> None:
    found = parse_progress_rules(["# first a comment", "", line, r"step (?P<step>\d+)"])
    assert len(found.rules) == 1
    assert [(s.line, s.reason) for s in found.skipped] == [(3, reason)]


def test_rules_past_the_limit_are_skipped_by_line(tmp_path: Path) -> None:
    lines = [f"rule{n} (?P<step>\\d+)" for n in range(MAX_RULES + 2)]
    found = parse_progress_rules(lines)
    assert len(found.rules) == MAX_RULES
    assert [(s.line, s.reason) for s in found.skipped] == [
        (MAX_RULES + 1, f"more than {MAX_RULES} rules"),
        (MAX_RULES + 2, f"more than {MAX_RULES} rules"),
    ]


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"x" * (MAX_FILE_BYTES + 1), "larger than 64 KB"),
        (b"\xff\xfe (?P<step>\\d+)\n", "not UTF-8 text"),
    ],
)
def test_an_unusable_file_is_an_error(tmp_path: Path, content: bytes, error: str) -> None:
    path = tmp_path / "progress.txt"
    path.write_bytes(content)
    assert read_progress_rules(path).error == error


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    assert read_progress_rules(tmp_path / "nowhere.txt").error == "No such file or directory"


def test_loading_for_the_watcher_logs_problems_and_keeps_the_good_rules(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "progress.txt"
    path.write_text("step (?P<step>\\d+)\n(?P<lr>x)\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        rules = load_progress_rules(path)
        assert load_progress_rules(None) == ()
        assert load_progress_rules(tmp_path / "nowhere.txt") == ()
    assert len(rules) == 1
    messages = [record.getMessage() for record in caplog.records]
    assert messages == ["progress rule skipped", "cannot read progress rules"]
