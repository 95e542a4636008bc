"""Users' own progress patterns: a file (`WATCH_PROGRESS_RULES`) of one regex a line.

    # comment
    step (?P<step>\\d+) of (?P<total>\\d+), loss (?P<loss>[0-9.eE+-]+)

Named groups say what a match holds: `step`, `total`, `loss`, `secs_per_step`; a rule names at
least `step` or `loss`. Their rules are tried before the built-in ones. A line that cannot be used
is skipped with the reason, the rest still apply; an unreadable file is an error. This mirrors
the cause rules (`bot.watch.causes`), which `aihc-bot check` reports the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.insight.linear import PatternError, compile_capture
from bot.insight.progress_match import LinePattern

logger = logging.getLogger(__name__)

MAX_RULES = 50
"""User rules read at most; each is tried on every new log line of every running job."""
MAX_FILE_BYTES = 64 * 1024
"""Largest rules file read."""
GROUPS = ("step", "total", "loss", "secs_per_step")
"""The group names a rule may use."""


@dataclass(frozen=True)
class SkippedRule:
    """A line of a rules file that was not used, and why."""

    line: int
    reason: str


@dataclass(frozen=True)
class ProgressRuleSet:
    """What a rules file gave: its rules, the lines skipped, or why it could not be read."""

    rules: tuple[LinePattern, ...] = ()
    skipped: tuple[SkippedRule, ...] = ()
    error: str | None = None


def read_progress_rules(path: Path) -> ProgressRuleSet:
    """Read a rules file; an unreadable or oversized file is an error, a bad line is skipped."""
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return ProgressRuleSet(error=error.strerror or type(error).__name__)
    if len(raw) > MAX_FILE_BYTES:
        return ProgressRuleSet(error=f"larger than {MAX_FILE_BYTES // 1024} KB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return ProgressRuleSet(error="not UTF-8 text")
    return parse_progress_rules(text.splitlines())


def load_progress_rules(path: Path | None) -> tuple[LinePattern, ...]:
    """Read the user's rules from `path` for the watcher; problems are logged, never fatal."""
    if path is None:
        return ()
    found = read_progress_rules(path)
    if found.error is not None:
        logger.warning(
            "cannot read progress rules", extra={"path": str(path), "error": found.error}
        )
    for skipped in found.skipped:
        logger.warning(
            "progress rule skipped", extra={"line": skipped.line, "reason": skipped.reason}
        )
    return found.rules


def parse_progress_rules(lines: Iterable[str]) -> ProgressRuleSet:
    """Parse one regex a line; blank lines and `#` comments are ignored."""
    rules: list[LinePattern] = []
    skipped: list[SkippedRule] = []
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        try:
            rule = _parse_line(stripped, full=len(rules) >= MAX_RULES)
        except ValueError as error:
            skipped.append(SkippedRule(number, str(error)))
        else:
            rules.append(rule)
    return ProgressRuleSet(tuple(rules), tuple(skipped))


def _parse_line(line: str, *, full: bool) -> LinePattern:
    if full:
        raise ValueError(f"more than {MAX_RULES} rules")
    try:
        compiled = compile_capture(line)
    except PatternError as error:
        raise ValueError(f"RE2 cannot use it: {error}") from None
    unknown = sorted(compiled.groups - set(GROUPS))
    if unknown:
        raise ValueError(f"unknown group `{unknown[0]}` (use {', '.join(GROUPS)})")
    if not compiled.groups & {"step", "loss"}:
        raise ValueError("names no `step` or `loss` group, so a match says nothing")
    return LinePattern("custom", "", compiled)
