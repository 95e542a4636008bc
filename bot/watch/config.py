"""The watcher's knobs, settled once by the composition root and passed down.

`BOT_POLL_INTERVAL` and `BOT_LANGUAGE` come from the bot's settings, the rest from `WATCH_*`
(`bot.settings.WatchSettings`); nothing here reads the environment.
"""

from __future__ import annotations

from functools import cached_property
from typing import Literal

from bot.insight.causes import Rule, load_rules
from bot.insight.progress_match import LinePattern
from bot.insight.progress_rules import load_progress_rules
from bot.settings import WatchSettings


class WatchConfig:
    """Everything the engine reads, settled once by the composition root."""

    def __init__(
        self,
        *,
        poll_interval: float,
        settings: WatchSettings,
        language: Literal["en", "zh"] = "en",
    ) -> None:
        self.poll_interval = poll_interval
        self.language = language
        self.settings = settings

    @property
    def replica_id(self) -> str:
        """Return this process's name in leases and heartbeats."""
        return self.settings.replica_id

    @cached_property
    def cause_rules(self) -> tuple[Rule, ...]:
        """Return the user's cause rules, read once (`WATCH_CAUSE_RULES`) for the watcher's
        failure notices and the digests alike."""
        return load_rules(self.settings.cause_rules)

    @cached_property
    def progress_rules(self) -> tuple[LinePattern, ...]:
        """Return the user's progress patterns, read once (`WATCH_PROGRESS_RULES`) for the
        watcher and `job show` alike, so a bad line is logged once."""
        return load_progress_rules(self.settings.progress_rules)
