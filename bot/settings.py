"""The configuration of DESIGN §3.2, read from the environment and `.env`, validated at the start.

The composition root calls `load_settings()` once and passes the result down; nothing imports a
settings singleton. The watcher's `WATCH_*` knobs are read here too, as `Settings.watch`, so one
read validates them all (`aihc-bot check`, `serve` start). `DatabaseSettings` is the slice that
`aihc-bot migrate` needs, so migrating does not demand AIHC or Slack credentials; `LogSettings`
is the slice `aihc-bot demo` reads before it builds the rest.
"""

from __future__ import annotations

import os
import socket
import uuid
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.domain import ApiVersion

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./aihc-bot.db"
# Plain scheme names get the driver the bot runs on; anything else is refused.
_DRIVER_FOR_SCHEME = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+psycopg",
    "postgresql": "postgresql+psycopg",
    "postgresql+psycopg": "postgresql+psycopg",
}


class SettingsError(Exception):
    """Report one configuration problem as one line that names the variable."""


def _require_http_url(value: str) -> str:
    """Accept an http(s) URL with a host."""
    scheme, _, rest = value.partition("://")
    if scheme not in {"http", "https"} or not rest.strip("/"):
        raise ValueError("must be an http:// or https:// URL")
    return value


def _require_prefix(value: SecretStr | None, prefix: str) -> SecretStr | None:
    """Accept a token only if it starts with the prefix Slack gives that kind of token."""
    if value is None:
        return value
    token = value.get_secret_value()
    if not token.startswith(prefix):
        raise ValueError(f"must start with {prefix}")
    if not token.removeprefix(prefix).strip():
        raise ValueError(f"is only the prefix {prefix}; paste the whole token")
    return value


class DatabaseSettings(BaseSettings):
    """Where the store lives: `DATABASE_URL`."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    database_url: SecretStr = SecretStr(DEFAULT_DATABASE_URL)
    database_wait_seconds: float = Field(default=60.0, ge=0)
    """How long `serve` waits at start for a database that refuses connections (compose)."""

    @field_validator("database_url", mode="before")
    @classmethod
    def _database_url(cls, value: Any) -> str:
        """Accept SQLite or PostgreSQL URLs and give them the async driver the bot uses."""
        raw = value.get_secret_value() if isinstance(value, SecretStr) else str(value)
        try:
            url = make_url(raw)
        except ArgumentError:
            raise ValueError("is not a database URL (e.g. postgresql://user@host/db)") from None
        driver = _DRIVER_FOR_SCHEME.get(url.drivername)
        if driver is None:
            raise ValueError(
                f"uses {url.drivername!r}; use sqlite+aiosqlite:// or postgresql+psycopg://"
            )
        return url.set(drivername=driver).render_as_string(hide_password=False)


class LogSettings(BaseSettings):
    """How log lines are written: `BOT_LOG_FORMAT`."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    bot_log_format: Literal["text", "json"] = "text"


def default_replica_id() -> str:
    """Name this process uniquely among replicas: host, pid and a random suffix."""
    return f"{socket.gethostname()[:60]}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


class WatchSettings(BaseSettings):
    """Tune ticks, leases, pacing and notices (`WATCH_*`); the defaults suit production."""

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
    progress_rules: Path | None = None
    """A file of extra progress patterns (one regex with named groups a line), tried first."""
    batch: int = Field(default=200, ge=1, le=1000)
    """Jobs, pools or messages one tick claims at most (smaller batches spread replicas' work)."""
    hang_minutes: int = Field(default=30, ge=1, le=1440)
    """Minutes a Running job's log and progress stand still before it looks hung."""
    idle_percent: float = Field(default=5.0, gt=0, le=100)
    """Average GPU utilisation (%) below which a Running job counts as idle."""
    idle_minutes: int = Field(default=60, ge=1, le=1440)
    """Minutes a Running job stays idle before the channel is told."""
    pending_minutes: int = Field(default=10, ge=1, le=1440)
    """Minutes a job waits (Pending, Created, Scheduled) before the card says why."""
    metrics_minutes: int = Field(default=5, ge=1, le=60)
    """Least minutes between two metrics reads of one Running job."""
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


class Settings(DatabaseSettings, LogSettings):
    """Every setting of DESIGN §3.2; secrets are `SecretStr` and never appear in a repr."""

    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    bot_mode: Literal["socket", "http"] | None = None
    bot_host: str = "0.0.0.0"  # noqa: S104  (a container's HTTP server listens on every interface)
    # 0 binds any free port; `serve` logs the one it got ("serving on HOST:PORT").
    bot_port: int = Field(default=3000, ge=0, le=65535)
    aihc_endpoint: str
    aihc_access_key: SecretStr
    aihc_secret_key: SecretStr
    aihc_default_pool: str | None = None
    aihc_api_version: ApiVersion = ApiVersion.V1
    """Which AIHC OpenAPI the bot speaks: `v1` (path style) or `v2` (action style)."""
    bot_admins: Annotated[tuple[str, ...], NoDecode] = ()
    aihc_rate_limit: float = Field(default=100.0, gt=0, le=10_000)
    aihc_max_in_flight: int = Field(default=16, ge=1, le=1_000)
    bot_poll_interval: float = Field(default=30.0, gt=0)
    bot_language: Literal["en", "zh"] = "en"
    # NoDecode: an unrelated `WATCH` variable in the environment is not parsed as this field.
    watch: Annotated[WatchSettings, NoDecode]
    """The `WATCH_*` knobs, read by `load_settings` under their own prefix."""

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: SecretStr | None) -> SecretStr | None:
        """Accept only bot tokens."""
        return _require_prefix(value, "xoxb-")

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: SecretStr | None) -> SecretStr | None:
        """Accept only app-level tokens."""
        return _require_prefix(value, "xapp-")

    @field_validator("slack_signing_secret")
    @classmethod
    def _signing_secret(cls, value: SecretStr | None) -> SecretStr | None:
        """Refuse a blank signing secret: an empty HMAC key lets anyone sign requests."""
        if value is not None and not value.get_secret_value().strip():
            raise ValueError("must not be blank")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _slack_api_url(cls, value: str) -> str:
        """Accept an http(s) URL and end it with a slash, as the Slack SDK joins method names."""
        return _require_http_url(value).rstrip("/") + "/"

    @field_validator("aihc_endpoint")
    @classmethod
    def _aihc_endpoint(cls, value: str) -> str:
        """Accept an http(s) URL without a trailing slash."""
        return _require_http_url(value).rstrip("/")

    @field_validator("aihc_access_key", "aihc_secret_key")
    @classmethod
    def _credential(cls, value: SecretStr) -> SecretStr:
        """Refuse empty credentials."""
        if not value.get_secret_value().strip():
            raise ValueError("must not be empty")
        return value

    @field_validator("aihc_api_version", mode="before")
    @classmethod
    def _api_version(cls, value: Any) -> Any:
        """Read `V2`, ` v2 ` and the like as `v2`; anything else is left for the enum to refuse."""
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("aihc_default_pool", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        """Treat an empty value as unset."""
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("bot_admins", mode="before")
    @classmethod
    def _admins(cls, value: Any) -> tuple[str, ...]:
        """Split the comma-separated Slack user ids and check each one."""
        items = value.split(",") if isinstance(value, str) else list(value)
        admins = tuple(str(item).strip() for item in items if str(item).strip())
        for admin in admins:
            if not (admin[0] in "UW" and admin[1:].isalnum() and admin.isupper()):
                raise ValueError(f"{admin!r} is not a Slack user id (like U012ABCDEF)")
        return admins

    @model_validator(mode="after")
    def _mode(self) -> Self:
        """Pick the transport: Socket Mode if an app token is set, else HTTP."""
        if self.bot_mode is None:
            self.bot_mode = "socket" if self.slack_app_token is not None else "http"
        if self.bot_mode == "socket" and self.slack_app_token is None:
            raise ValueError("SLACK_APP_TOKEN is required when BOT_MODE=socket")
        return self

    @property
    def transport(self) -> Literal["socket", "http"]:
        """Return the Slack transport in use, with `BOT_MODE` resolved."""
        return self.bot_mode or ("socket" if self.slack_app_token is not None else "http")

    def require_serving(self) -> None:
        """Raise `SettingsError` unless the Slack settings that `serve` needs are present."""
        if self.slack_bot_token is None:
            raise SettingsError("SLACK_BOT_TOKEN: required to serve (a bot token xoxb-…)")
        if self.transport == "http" and self.slack_signing_secret is None:
            raise SettingsError("SLACK_SIGNING_SECRET: required when BOT_MODE=http")


def describe(error: ValidationError, *, prefix: str = "") -> str:
    """Turn a validation error into one line naming the variable; never echo the value."""
    problems = []
    for detail in error.errors(include_input=False, include_url=False):
        field = ".".join(str(part) for part in detail["loc"])
        message = detail["msg"].removeprefix("Value error, ")
        if detail["type"] == "missing":
            message = "required but not set"
        problems.append(f"{prefix}{field.upper()}: {message}" if field else message)
    first, rest = problems[0], problems[1:]
    return first if not rest else f"{first} (and {len(rest)} more: {'; '.join(rest)})"


def load_settings(*, watch: dict[str, Any] | None = None, **overrides: Any) -> Settings:
    """Read and validate every setting, `WATCH_*` included; one line on failure."""
    try:
        knobs = WatchSettings(**(watch or {}))
    except ValidationError as error:
        raise SettingsError(describe(error, prefix="WATCH_")) from None
    try:
        return Settings(**overrides, watch=knobs)
    except ValidationError as error:
        raise SettingsError(describe(error)) from None


def load_log_settings() -> LogSettings:
    """Read and validate `BOT_LOG_FORMAT` only, raising `SettingsError` with one line on failure."""
    try:
        return LogSettings()
    except ValidationError as error:
        raise SettingsError(describe(error)) from None


def load_database_settings(**overrides: Any) -> DatabaseSettings:
    """Read and validate `DATABASE_URL` only, raising `SettingsError` with one line on failure."""
    try:
        return DatabaseSettings(**overrides)
    except ValidationError as error:
        raise SettingsError(describe(error)) from None
