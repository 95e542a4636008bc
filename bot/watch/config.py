"""The watcher's knobs: `BOT_POLL_INTERVAL` and `BOT_LANGUAGE` come from the bot's settings, the
rest from `WATCH_*` environment variables (also read from `.env`)."""

from __future__ import annotations

import os
import socket
import uuid
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.settings import SettingsError, describe


def default_replica_id() -> str:
    """Name this process uniquely among replicas: host, pid and a random suffix."""
    return f"{socket.gethostname()[:60]}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


class WatchSettings(BaseSettings):
    """Tuning of ticks, leases, pacing and notices; the defaults suit production."""

    model_config = SettingsConfigDict(
        env_prefix="WATCH_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    tick_seconds: float = Field(default=1.0, gt=0, le=60)
    """How often each tick looks for due work (sweeps and polls are due by their own times)."""
    lease_seconds: float = Field(default=60.0, ge=2, le=3600)
    """How long a claimed sweep, job or message stays with one replica if it dies."""
    slack_timeout: int = Field(default=10, ge=1, le=60)
    """Seconds the watcher waits for one Slack call; leases must outlast three of them."""
    pace_seconds: float = Field(default=1.0, ge=0, le=10)
    """Least time between two posts to one channel (Slack allows about one per second)."""
    max_attempts: int = Field(default=8, ge=1, le=100)
    """Attempts before a message is given up as dead."""
    log_lines: int = Field(default=20, ge=1, le=200)
    """Log lines per notice at most (new lines only)."""
    burst_threshold: int = Field(default=6, ge=2, le=1000)
    """More transitions than this in one channel from one sweep are folded into one summary."""
    cause_rules: Path | None = None
    """A file of extra likely-cause rules (`regex => cause`, one a line), checked first."""
    batch: int = Field(default=200, ge=1, le=1000)
    """Jobs, pools or messages one tick claims at most (smaller batches spread replicas' work)."""
    replica_id: str = Field(default_factory=default_replica_id)

    @model_validator(mode="after")
    def _lease_outlasts_calls(self) -> Self:
        """Refuse a lease a Slack call in flight could outlive (renewal runs every quarter)."""
        if self.lease_seconds < 3 * self.slack_timeout:
            raise ValueError(
                "WATCH_LEASE_SECONDS: must be at least three Slack timeouts "
                f"(3 × WATCH_SLACK_TIMEOUT = {3 * self.slack_timeout} s)"
            )
        return self


def load_watch_settings(**overrides: Any) -> WatchSettings:
    """Read and validate the `WATCH_*` settings, raising `SettingsError` with one line."""
    try:
        return WatchSettings(**overrides)
    except ValidationError as error:
        raise SettingsError(describe(error, prefix="WATCH_")) from None


class WatchConfig:
    """Everything the engine reads, settled once by the composition root."""

    def __init__(
        self,
        *,
        poll_interval: float,
        language: Literal["en", "zh"] = "en",
        settings: WatchSettings | None = None,
    ) -> None:
        self.poll_interval = poll_interval
        self.language = language
        self.settings = settings or WatchSettings()

    @property
    def replica_id(self) -> str:
        """Return this process's name in leases and heartbeats."""
        return self.settings.replica_id
