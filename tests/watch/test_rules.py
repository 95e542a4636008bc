"""Likely causes, log overlap and burst folding: the watcher's pure parts."""

from __future__ import annotations

from pathlib import Path

from bot.watch.causes import likely_cause, load_rules, parse_rules
from bot.watch.notices import Notice
from bot.watch.observe import _digest, new_lines
from bot.watch.poll import fold_bursts


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


def _transition(channel: str, card: int) -> Notice:
    payload = {"job": {"id": f"j{card}", "name": f"job-{card}"}, "old": "Running", "new": "Failed"}
    notice = Notice(f"st:{card}", "T1", channel, "failure", payload, card)
    notice.transition = True
    return notice


def test_many_transitions_in_one_channel_fold_into_one_summary() -> None:
    busy = [_transition("C1", card) for card in range(1, 5)]
    edits = [Notice(f"cardv:{c}", "T1", "C1", "card_update", {}, c) for c in range(1, 5)]
    calm = [_transition("C2", 9)]
    kept = fold_bursts([*edits, *busy, *calm], threshold=3)
    kinds = sorted(n.kind for n in kept)
    assert kinds == ["card_update"] * 4 + ["failure", "summary"]
    [summary] = [n for n in kept if n.kind == "summary"]
    assert [j["name"] for j in summary.payload["jobs"]] == [f"job-{c}" for c in range(1, 5)]
    assert fold_bursts(busy, threshold=3)[-1].dedup_key == summary.dedup_key
