"""Likely causes and log overlap: the watcher's pure parts."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.insight.causes import likely_cause, load_rules, parse_rules
from bot.watch.observe import _digest, new_lines


def test_built_in_rules_name_the_usual_failures() -> None:
    cases = {
        "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB": "cuda_oom",
        "[Rank 3] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=9)": "nccl",
        "NVRM: Xid (PCI:0000:3b:00): 79, GPU has fallen off the bus.": "gpu_xid",
        'Failed to pull image "registry/x:1": pull access denied': "image_pull",
        "The node was low on resource: memory. Evicted": "eviction",
        "Traceback (most recent call last):\n  File \"train.py\"\nKeyError: 'x'": "python",
        "exit code 1": "unknown",
    }
    for text, key in cases.items():
        assert likely_cause([text]).key == key, text


def test_user_rules_come_first_and_bad_lines_are_skipped(tmp_path: Path) -> None:
    rules_file = tmp_path / "causes.txt"
    rules_file.write_text(
        "# ours\n"
        "(?i)disk quota exceeded => Out of disk on PFS\n"
        "no arrow here\n"
        "([unclosed => broken\n",
        encoding="utf-8",
    )
    rules = load_rules(rules_file)
    assert len(rules) == 1
    cause = likely_cause(["OSError: Disk quota exceeded"], extra=rules)
    assert (cause.key, cause.text) == ("custom", "Out of disk on PFS")
    assert load_rules(tmp_path / "missing.txt") == ()
    assert parse_rules(["", "  # only a comment"]).rules == ()


def test_user_rules_re2_cannot_run_are_skipped_naming_the_line_and_why(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rules_file = tmp_path / "causes.txt"
    rules_file.write_text(
        "(?i)disk quota exceeded => Out of disk on PFS\n"
        "(\\w+) \\1 failed => a word said twice\n"
        "# lookaround is not linear-time either\n"
        "(?<!no )checkpoint lost => lost a checkpoint\n"
        "x{1,5000} => a huge repetition\n" + "a" * 600 + " => far too long\n",
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING, logger="bot.insight.causes"):
        rules = load_rules(rules_file)
    assert len(rules) == 1
    skipped = [(r.__dict__.get("line"), r.__dict__.get("reason", "")) for r in caplog.records]
    assert [line for line, _ in skipped] == [2, 4, 5, 6]
    assert "RE2 cannot use it" in skipped[0][1]
    assert "\\1" in skipped[0][1]
    assert "(?<!" in skipped[1][1]
    assert "repetition" in skipped[2][1]
    assert "longer than 500 characters" in skipped[3][1]


def test_only_lines_after_the_last_seen_ones_are_new() -> None:
    seen = [_digest(line) for line in ["a", "b", "c"]]
    assert new_lines(["a", "b", "c", "d", "e"], seen) == ["d", "e"]
    assert new_lines(["b", "c"], seen) == []
    assert new_lines(["x", "y"], seen) == ["x", "y"]
    assert new_lines(["c", "c", "d"], [_digest("c")]) == ["d"]
