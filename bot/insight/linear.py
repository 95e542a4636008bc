"""Linear-time patterns: RE2 (`google-re2`) behind a small typed face, since it ships no hints.

Python's `re` backtracks: `NCCL.*(timeout|timed out)` takes seconds on one long line of `NCCL`s.
RE2 runs in time linear in the text whatever the pattern, refuses what it cannot run that way
(backreferences, lookaround), and releases the GIL while it scans.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import re2  # type: ignore[import-untyped]

MAX_PATTERN = 500
"""Longest pattern accepted, in characters: a rule names a symptom, it is not a program."""
MAX_MEM = 8 << 20
"""Bytes RE2 may spend on one pattern's program and automata (RE2's own default, made explicit)."""


class PatternError(ValueError):
    """A pattern RE2 will not run: too long, unsupported syntax, or too large once compiled."""


@dataclass(frozen=True, eq=False)
class LinearPattern:
    """A compiled pattern whose search costs time linear in the text."""

    source: str
    _regexp: Any

    def search(self, text: bytes) -> bool:
        """Say whether the pattern matches anywhere in UTF-8 `text`."""
        return self._regexp.search(text) is not None


@dataclass(frozen=True, eq=False)
class Capture:
    """A compiled pattern whose named groups are read from its first match."""

    source: str
    _regexp: Any

    @property
    def groups(self) -> frozenset[str]:
        """Return the names of the pattern's named groups."""
        return frozenset(self._regexp.groupindex)

    def groupdict(self, text: str) -> dict[str, str | None] | None:
        """Return the named groups of the first match in `text`, or None without a match."""
        found = self._regexp.search(text)
        return None if found is None else dict(found.groupdict())


def compile_linear(source: str, *, ignore_case: bool = False) -> LinearPattern:
    """Compile `source` with RE2 for matching only; raise `PatternError` saying why it cannot be."""
    # Only "does it match" is asked, never what a group held.
    return LinearPattern(source, _compile(source, ignore_case=ignore_case, capture=False))


def compile_capture(source: str) -> Capture:
    """Compile `source` with RE2, its named groups kept; raise `PatternError` if it cannot be."""
    return Capture(source, _compile(source, ignore_case=False, capture=True))


def _compile(source: str, *, ignore_case: bool, capture: bool) -> Any:
    if len(source) > MAX_PATTERN:
        raise PatternError(f"the pattern is longer than {MAX_PATTERN} characters")
    options = re2.Options()
    options.case_sensitive = not ignore_case
    options.max_mem = MAX_MEM
    options.never_capture = not capture
    options.log_errors = False  # the reason goes into PatternError, not onto stderr
    try:
        return re2.compile(source, options)
    except re2.error as error:
        raise PatternError(_reason(error)) from None


def _reason(error: Exception) -> str:
    reason = error.args[0] if error.args else "not a valid pattern"
    # RE2 reports its message as bytes.
    text = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
    return text[:200]
