"""Likely causes and log overlap: the watcher's pure parts."""

from __future__ import annotations

from pathlib import Path

from bot.watch.causes import likely_cause, load_rules, parse_rules
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
    assert parse_rules(["", "  # only a comment"]) == []


def test_only_lines_after_the_last_seen_ones_are_new() -> None:
    seen = [_digest(line) for line in ["a", "b", "c"]]
    assert new_lines(["a", "b", "c", "d", "e"], seen) == ["d", "e"]
    assert new_lines(["b", "c"], seen) == []
    assert new_lines(["x", "y"], seen) == ["x", "y"]
    assert new_lines(["c", "c", "d"], [_digest("c")]) == ["d"]
