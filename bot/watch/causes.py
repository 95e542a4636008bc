"""Guess the likely cause of a failed job from its log tail and warning events.

The built-in rules are ordered from most to least specific; each names a cause key (`cause.<key>`
in the catalogues). Users add their own rules in a file (`WATCH_CAUSE_RULES`), one per line:

    # comment
    (?i)disk quota exceeded => Out of disk space on the shared file system

Their rules are tried first, and their text is shown as written.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Cause:
    """A likely cause: a catalogue key (built-in rules) or a user's own text."""

    key: str
    text: str = ""


@dataclass(frozen=True)
class Rule:
    """A pattern and the cause it points at."""

    pattern: re.Pattern[str]
    cause: Cause


def _rule(pattern: str, key: str) -> Rule:
    return Rule(re.compile(pattern, re.IGNORECASE), Cause(key))


BUILT_IN: tuple[Rule, ...] = (
    _rule(r"CUDA out of memory|OutOfMemoryError|CUBLAS_STATUS_ALLOC_FAILED", "cuda_oom"),
    _rule(r"NCCL.*(timeout|timed out)|Watchdog caught collective operation timeout", "nccl"),
    _rule(r"\bXid\b|ECC error|uncorrectable ECC|GPU has fallen off the bus", "gpu_xid"),
    _rule(r"ErrImagePull|ImagePullBackOff|Failed to pull image|pull access denied", "image_pull"),
    _rule(r"\bEvicted\b|evict|preempt|OOMKilled|node.*NotReady", "eviction"),
    _rule(r"Traceback \(most recent call last\)|\b[A-Z]\w*(Error|Exception):", "python"),
)
UNKNOWN = Cause("unknown")


def load_rules(path: Path | None) -> tuple[Rule, ...]:
    """Read extra rules from `path`; a bad line is logged and skipped, never fatal."""
    if path is None:
        return ()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        logger.warning("cannot read cause rules", extra={"path": str(path), "error": str(error)})
        return ()
    return tuple(parse_rules(text.splitlines()))


def parse_rules(lines: Iterable[str]) -> list[Rule]:
    """Parse `regex => cause` lines; blank lines and `#` comments are ignored."""
    rules = []
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        pattern, arrow, cause = stripped.rpartition("=>")
        if not arrow or not pattern.strip() or not cause.strip():
            logger.warning("cause rule without `=>`", extra={"line": number})
            continue
        try:
            compiled = re.compile(pattern.strip())
        except re.error:
            logger.warning("cause rule is not a valid regex", extra={"line": number})
            continue
        rules.append(Rule(compiled, Cause("custom", cause.strip()[:200])))
    return rules


def likely_cause(
    texts: Sequence[str], *, extra: Sequence[Rule] = (), builtin: Sequence[Rule] = BUILT_IN
) -> Cause:
    """Return the first rule (theirs, then ours) that matches any text, newest text first."""
    newest_first = list(reversed(texts))
    for rule in (*extra, *builtin):
        if any(rule.pattern.search(text) for text in newest_first):
            return rule.cause
    return UNKNOWN
