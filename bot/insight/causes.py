"""Guess the likely cause of a failed job from its log tail and warning events.

The built-in rules are ordered from most to least specific; each names a cause key (`cause.<key>`
in the catalogues). Users add their own rules in a file (`WATCH_CAUSE_RULES`), one per line:

    # comment
    (?i)disk quota exceeded => Out of disk space on the shared file system

Their rules are tried first, and their text is shown as written. Every rule runs on RE2, so a
match costs time linear in the text; the texts are bounded first (`bot.domain.logtext`), so a
match costs at most the rules times the tail bound, whatever a job printed. A user rule RE2 cannot
compile is skipped, and `aihc-bot check` says which line and why.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bot.domain.logtext import bound_lines
from bot.insight.linear import PatternError, compile_linear
from bot.insight.rulefile import RuleFile, load_rule_file, parse_rule_lines, read_rule_file

logger = logging.getLogger(__name__)

MAX_RULES = 200
"""User rules read at most; each costs one scan of the tail per failure."""
MAX_FILE_BYTES = 256 * 1024
"""Largest rules file read."""
CAUSE_CHARS = 200
"""Longest cause text a user rule may show."""


class Matcher(Protocol):
    """A pattern that says whether it occurs in a UTF-8 text, in time linear in the text."""

    def search(self, text: bytes) -> bool:
        """Say whether the pattern occurs in `text`."""
        ...


@dataclass(frozen=True)
class Cause:
    """A likely cause: a catalogue key (built-in rules) or a user's own text."""

    key: str
    text: str = ""


@dataclass(frozen=True)
class Rule:
    """A pattern and the cause it points at."""

    pattern: Matcher
    cause: Cause


RuleSet = RuleFile[Rule]


def _rule(pattern: str, key: str) -> Rule:
    return Rule(compile_linear(pattern, ignore_case=True), Cause(key))


BUILT_IN: tuple[Rule, ...] = (
    _rule(r"CUDA out of memory|OutOfMemoryError|CUBLAS_STATUS_ALLOC_FAILED", "cuda_oom"),
    _rule(r"NCCL.*(timeout|timed out)|Watchdog caught collective operation timeout", "nccl"),
    _rule(r"\bXid\b|ECC error|uncorrectable ECC|GPU has fallen off the bus", "gpu_xid"),
    _rule(r"ErrImagePull|ImagePullBackOff|Failed to pull image|pull access denied", "image_pull"),
    _rule(r"\bEvicted\b|evict|preempt|OOMKilled|node.*NotReady", "eviction"),
    _rule(r"Traceback \(most recent call last\)|\b[A-Z]\w*(Error|Exception):", "python"),
)
UNKNOWN = Cause("unknown")


def read_rules(path: Path) -> RuleSet:
    """Read a rules file; an unreadable or oversized file is an error, a bad line is skipped."""
    return read_rule_file(path, parse_rules, max_bytes=MAX_FILE_BYTES)


def load_rules(path: Path | None) -> tuple[Rule, ...]:
    """Read extra rules from `path` for the watcher; problems are logged, never fatal."""
    return load_rule_file(path, read_rules, what="cause")


def parse_rules(lines: Iterable[str]) -> RuleSet:
    """Parse `regex => cause` lines; blank lines and `#` comments are ignored."""
    return parse_rule_lines(lines, _parse_line, max_rules=MAX_RULES)


def _parse_line(line: str) -> Rule:
    pattern, arrow, cause = line.rpartition("=>")
    if not arrow or not pattern.strip() or not cause.strip():
        raise ValueError("not of the form `regex => cause`")
    try:
        compiled = compile_linear(pattern.strip())
    except PatternError as error:
        raise ValueError(f"RE2 cannot use it: {error}") from None
    return Rule(compiled, Cause("custom", cause.strip()[:CAUSE_CHARS]))


def likely_cause(
    texts: Sequence[str], *, extra: Sequence[Rule] = (), builtin: Sequence[Rule] = BUILT_IN
) -> Cause:
    """Return the first rule (theirs, then ours) that matches any text, newest text first.

    Only the newest texts within the tail bound are looked at, each cut to the line bound, so the
    work is bounded whatever the texts hold; RE2 releases the GIL, so a thread can run it.
    """
    newest_first = [text.encode() for text in reversed(bound_lines(texts))]
    for rule in (*extra, *builtin):
        if any(rule.pattern.search(text) for text in newest_first):
            return rule.cause
    return UNKNOWN
