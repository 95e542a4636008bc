"""Users' own progress patterns: a file (`WATCH_PROGRESS_RULES`) of one regex a line.

    # comment
    step (?P<step>\\d+) of (?P<total>\\d+), loss (?P<loss>[0-9.eE+-]+)

Named groups say what a match holds: `step`, `total`, `loss`, `secs_per_step`; a rule names at
least `step` or `loss`. Their rules are tried before the built-in ones. A line that cannot be used
is skipped with the reason, the rest still apply; an unreadable file is an error. This mirrors
the cause rules (`bot.insight.causes`), which `aihc-bot check` reports the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from bot.insight.linear import PatternError, compile_capture
from bot.insight.progress_match import LinePattern
from bot.insight.rulefile import RuleFile, load_rule_file, parse_rule_lines, read_rule_file

MAX_RULES = 50
"""User rules read at most; each is tried on every new log line of every running job."""
MAX_FILE_BYTES = 64 * 1024
"""Largest rules file read."""
GROUPS = ("step", "total", "loss", "secs_per_step")
"""The group names a rule may use."""


ProgressRuleSet = RuleFile[LinePattern]


def read_progress_rules(path: Path) -> ProgressRuleSet:
    """Read a rules file; an unreadable or oversized file is an error, a bad line is skipped."""
    return read_rule_file(path, parse_progress_rules, max_bytes=MAX_FILE_BYTES)


def load_progress_rules(path: Path | None) -> tuple[LinePattern, ...]:
    """Read the user's rules from `path` for the watcher; problems are logged, never fatal."""
    return load_rule_file(path, read_progress_rules, what="progress")


def parse_progress_rules(lines: Iterable[str]) -> ProgressRuleSet:
    """Parse one regex a line; blank lines and `#` comments are ignored."""
    return parse_rule_lines(lines, _parse_line, max_rules=MAX_RULES)


def _parse_line(line: str) -> LinePattern:
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
