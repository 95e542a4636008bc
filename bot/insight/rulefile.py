"""A user's rules file, one rule a line: read bounded, parsed line by line, problems reported.

Shared by the likely-cause rules (`WATCH_CAUSE_RULES`) and the progress patterns
(`WATCH_PROGRESS_RULES`): a line that cannot be used is skipped with its reason and the rest
still apply; an unreadable, oversized or non-UTF-8 file is an error. `aihc-bot check` prints
both the same way, and the watcher logs them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T", covariant=True)
R = TypeVar("R")


@dataclass(frozen=True)
class SkippedRule:
    """A line of a rules file that was not used, and why."""

    line: int
    reason: str


@dataclass(frozen=True)
class RuleFile(Generic[T]):
    """What a rules file gave: its rules, the lines skipped, or why it could not be read."""

    rules: tuple[T, ...] = ()
    skipped: tuple[SkippedRule, ...] = ()
    error: str | None = None


def parse_rule_lines(
    lines: Iterable[str], parse_line: Callable[[str], R], *, max_rules: int
) -> RuleFile[R]:
    """Parse one rule a line with `parse_line` (a `ValueError` skips the line); blank lines and
    `#` comments are ignored, lines past `max_rules` rules are skipped."""
    rules: list[R] = []
    skipped: list[SkippedRule] = []
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        try:
            if len(rules) >= max_rules:
                raise ValueError(f"more than {max_rules} rules")
            rules.append(parse_line(stripped))
        except ValueError as error:
            skipped.append(SkippedRule(number, str(error)))
    return RuleFile(tuple(rules), tuple(skipped))


def read_rule_file(
    path: Path, parse: Callable[[Iterable[str]], RuleFile[R]], *, max_bytes: int
) -> RuleFile[R]:
    """Read a rules file of at most `max_bytes` and parse its lines."""
    try:
        with path.open("rb") as file:
            raw = file.read(max_bytes + 1)
    except OSError as error:
        return RuleFile(error=error.strerror or type(error).__name__)
    if len(raw) > max_bytes:
        return RuleFile(error=f"larger than {max_bytes // 1024} KB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return RuleFile(error="not UTF-8 text")
    return parse(text.splitlines())


def load_rule_file(
    path: Path | None, read: Callable[[Path], RuleFile[R]], *, what: str
) -> tuple[R, ...]:
    """Read the rules for the watcher; problems are logged (`what`: "cause", "progress")."""
    if path is None:
        return ()
    found = read(path)
    if found.error is not None:
        logger.warning(f"cannot read {what} rules", extra={"path": str(path), "error": found.error})
    for skipped in found.skipped:
        logger.warning(
            f"{what} rule skipped", extra={"line": skipped.line, "reason": skipped.reason}
        )
    return found.rules
