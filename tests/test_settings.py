"""Settings: DESIGN §3.2 from the environment and `.env`, with one clear line per bad start."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain import ApiVersion
from bot.settings import (
    Settings,
    SettingsError,
    load_database_settings,
    load_log_settings,
    load_settings,
)

VARIABLES = [
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_API_URL",
    "BOT_MODE",
    "BOT_HOST",
    "BOT_PORT",
    "AIHC_ENDPOINT",
    "AIHC_ACCESS_KEY",
    "AIHC_SECRET_KEY",
    "AIHC_DEFAULT_POOL",
    "AIHC_API_VERSION",
    "DATABASE_URL",
    "BOT_ADMINS",
    "BOT_POLL_INTERVAL",
    "BOT_LANGUAGE",
    "BOT_LOG_FORMAT",
    "WATCH_TICK_SECONDS",
    "WATCH_LEASE_SECONDS",
    "WATCH_SLACK_TIMEOUT",
    "WATCH_PACE_SECONDS",
    "WATCH_MAX_ATTEMPTS",
    "WATCH_LOG_LINES",
    "WATCH_BURST_THRESHOLD",
    "WATCH_CAUSE_RULES",
    "WATCH_BATCH",
    "WATCH_HANG_MINUTES",
    "WATCH_IDLE_PERCENT",
    "WATCH_IDLE_MINUTES",
    "WATCH_PENDING_MINUTES",
    "WATCH_METRICS_MINUTES",
    "WATCH_REPLICA_ID",
]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Start every test from no configuration at all, in a directory without `.env`."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def aihc(monkeypatch: pytest.MonkeyPatch) -> None:
    """Provide the three required AIHC settings."""
    monkeypatch.setenv("AIHC_ENDPOINT", "https://aihc.bj.baidubce.com/")
    monkeypatch.setenv("AIHC_ACCESS_KEY", "ak-123")
    monkeypatch.setenv("AIHC_SECRET_KEY", "sk-very-secret")


def problem() -> str:
    """Load settings that must fail and return the one-line message."""
    with pytest.raises(SettingsError) as caught:
        load_settings()
    return str(caught.value)


@pytest.mark.usefixtures("aihc")
def test_defaults_follow_the_design_table() -> None:
    settings = load_settings()

    assert settings.database_url.get_secret_value() == "sqlite+aiosqlite:///./aihc-bot.db"
    assert settings.bot_mode == "http"
    assert (settings.bot_host, settings.bot_port) == ("0.0.0.0", 3000)  # noqa: S104
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.bot_poll_interval == 30
    assert settings.bot_language == "en"
    assert settings.bot_log_format == "text"
    assert settings.bot_admins == ()
    assert settings.aihc_endpoint == "https://aihc.bj.baidubce.com"
    assert settings.aihc_default_pool is None
    assert settings.aihc_api_version is ApiVersion.V1
    assert (settings.aihc_rate_limit, settings.aihc_max_in_flight) == (100, 16)
    watch = settings.watch
    assert (watch.tick_seconds, watch.lease_seconds, watch.slack_timeout) == (1, 60, 10)
    assert (watch.pace_seconds, watch.max_attempts, watch.log_lines) == (1, 8, 20)
    assert (watch.burst_threshold, watch.batch, watch.cause_rules) == (6, 200, None)
    assert (watch.hang_minutes, watch.idle_percent, watch.idle_minutes) == (30, 5, 60)
    assert (watch.pending_minutes, watch.metrics_minutes) == (10, 5)


@pytest.mark.usefixtures("aihc")
@pytest.mark.parametrize("value", ["v2", "V2", " v2 "])
def test_aihc_api_version_picks_v2(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("AIHC_API_VERSION", value)
    assert load_settings().aihc_api_version is ApiVersion.V2


@pytest.mark.usefixtures("aihc")
def test_watch_settings_are_read_with_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCH_LEASE_SECONDS", "90")
    monkeypatch.setenv("WATCH_BATCH", "50")
    Path(".env").write_text("WATCH_PACE_SECONDS=2.5\nWATCH_BATCH=7\n", encoding="utf-8")

    watch = load_settings().watch

    assert (watch.lease_seconds, watch.batch, watch.pace_seconds) == (90, 50, 2.5)


@pytest.mark.usefixtures("aihc")
def test_the_insight_thresholds_are_read_with_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCH_HANG_MINUTES", "45")
    monkeypatch.setenv("WATCH_IDLE_PERCENT", "2.5")
    monkeypatch.setenv("WATCH_IDLE_MINUTES", "120")
    monkeypatch.setenv("WATCH_PENDING_MINUTES", "3")
    monkeypatch.setenv("WATCH_METRICS_MINUTES", "1")

    watch = load_settings().watch

    assert (watch.hang_minutes, watch.idle_percent, watch.idle_minutes) == (45, 2.5, 120)
    assert (watch.pending_minutes, watch.metrics_minutes) == (3, 1)


@pytest.mark.usefixtures("aihc")
def test_json_logs_are_chosen_by_bot_log_format(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_LOG_FORMAT", "json")

    assert load_settings().bot_log_format == "json"


def test_the_log_format_is_read_without_any_other_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_LOG_FORMAT", "json")

    assert load_log_settings().bot_log_format == "json"
    monkeypatch.setenv("BOT_LOG_FORMAT", "xml")
    with pytest.raises(SettingsError, match=r"^BOT_LOG_FORMAT: "):
        load_log_settings()


@pytest.mark.usefixtures("aihc")
def test_an_app_token_selects_socket_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1-abc")

    settings = load_settings()

    assert (settings.bot_mode, settings.transport) == ("socket", "socket")


@pytest.mark.usefixtures("aihc")
def test_socket_mode_without_an_app_token_names_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_MODE", "socket")

    assert problem() == "SLACK_APP_TOKEN is required when BOT_MODE=socket"


def test_settings_are_read_from_dotenv_and_the_environment_wins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text(
        "AIHC_ENDPOINT=https://aihc.example.com\n"
        "AIHC_ACCESS_KEY=ak\n"
        "AIHC_SECRET_KEY=sk\n"
        "BOT_PORT=4000\n"
        "BOT_ADMINS=U01AAAA,W02BBBB\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("BOT_PORT", "5000")

    settings = load_settings()

    assert settings.aihc_endpoint == "https://aihc.example.com"
    assert settings.bot_port == 5000
    assert settings.bot_admins == ("U01AAAA", "W02BBBB")


def test_a_missing_required_setting_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIHC_ACCESS_KEY", "ak")
    monkeypatch.setenv("AIHC_SECRET_KEY", "sk")

    assert problem() == "AIHC_ENDPOINT: required but not set"


def test_several_problems_still_make_one_line() -> None:
    message = problem()

    assert "\n" not in message
    assert message.startswith("AIHC_ENDPOINT: required but not set (and 2 more")
    assert "AIHC_ACCESS_KEY" in message
    assert "AIHC_SECRET_KEY" in message


@pytest.mark.usefixtures("aihc")
def test_an_unrelated_watch_variable_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCH", "every 2s")

    assert load_settings().watch.lease_seconds == 60


@pytest.mark.usefixtures("aihc")
@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("BOT_PORT", "eighty", "BOT_PORT: "),
        ("BOT_PORT", "70000", "BOT_PORT: "),
        ("BOT_POLL_INTERVAL", "0", "BOT_POLL_INTERVAL: "),
        ("AIHC_RATE_LIMIT", "0", "AIHC_RATE_LIMIT: "),
        ("AIHC_MAX_IN_FLIGHT", "many", "AIHC_MAX_IN_FLIGHT: "),
        ("BOT_LANGUAGE", "fr", "BOT_LANGUAGE: "),
        ("AIHC_API_VERSION", "v3", "AIHC_API_VERSION: Input should be 'v1' or 'v2'"),
        ("BOT_LOG_FORMAT", "logfmt", "BOT_LOG_FORMAT: "),
        ("BOT_MODE", "webhook", "BOT_MODE: "),
        ("WATCH_LEASE_SECONDS", "abc", "WATCH_LEASE_SECONDS: Input should be a valid number"),
        ("WATCH_LEASE_SECONDS", "20", "WATCH_LEASE_SECONDS: must be at least three Slack"),
        ("WATCH_BATCH", "0", "WATCH_BATCH: "),
        ("WATCH_TICK_SECONDS", "soon", "WATCH_TICK_SECONDS: "),
        ("WATCH_HANG_MINUTES", "0", "WATCH_HANG_MINUTES: "),
        ("WATCH_IDLE_PERCENT", "101", "WATCH_IDLE_PERCENT: "),
        ("WATCH_IDLE_PERCENT", "0", "WATCH_IDLE_PERCENT: "),
        ("WATCH_IDLE_MINUTES", "a week", "WATCH_IDLE_MINUTES: "),
        ("WATCH_PENDING_MINUTES", "1441", "WATCH_PENDING_MINUTES: "),
        ("WATCH_METRICS_MINUTES", "0", "WATCH_METRICS_MINUTES: "),
        ("BOT_ADMINS", "U01AAAA,alice", "BOT_ADMINS: 'alice' is not a Slack user id"),
        ("SLACK_API_URL", "slack.com/api", "SLACK_API_URL: must be an http:// or https:// URL"),
        ("DATABASE_URL", "mysql://db/bot", "DATABASE_URL: uses 'mysql'"),
        ("DATABASE_URL", "not a url", "DATABASE_URL: is not a database URL"),
    ],
)
def test_a_malformed_setting_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(name, value)

    message = problem()

    assert message.startswith(expected)
    assert "\n" not in message


@pytest.mark.usefixtures("aihc")
def test_a_malformed_secret_is_named_but_never_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxp-user-token-do-not-print")

    message = problem()

    assert message == "SLACK_BOT_TOKEN: must start with xoxb-"
    assert "do-not-print" not in message


@pytest.mark.usefixtures("aihc")
@pytest.mark.parametrize("value", ["", "   ", "\t"])
def test_a_blank_signing_secret_is_refused_naming_it(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    # An empty HMAC key is no key: forged requests would verify with older slack-sdk releases.
    monkeypatch.setenv("SLACK_SIGNING_SECRET", value)

    message = problem()

    assert message == "SLACK_SIGNING_SECRET: must not be blank"


@pytest.mark.usefixtures("aihc")
@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("SLACK_BOT_TOKEN", "xoxb-", "SLACK_BOT_TOKEN: is only the prefix xoxb-"),
        ("SLACK_BOT_TOKEN", "xoxb-   ", "SLACK_BOT_TOKEN: is only the prefix xoxb-"),
        ("SLACK_BOT_TOKEN", "", "SLACK_BOT_TOKEN: must start with xoxb-"),
        ("SLACK_APP_TOKEN", "xapp-", "SLACK_APP_TOKEN: is only the prefix xapp-"),
        ("SLACK_APP_TOKEN", " ", "SLACK_APP_TOKEN: must start with xapp-"),
    ],
)
def test_a_token_that_is_blank_or_only_its_prefix_is_refused(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(name, value)

    assert problem().startswith(expected)


@pytest.mark.usefixtures("aihc")
def test_secrets_never_appear_in_the_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-bot-secret")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "signing-secret")
    monkeypatch.setenv("DATABASE_URL", "postgresql://bot:db-password@db/bot")

    shown = repr(load_settings())

    for secret in ("xoxb-bot-secret", "signing-secret", "sk-very-secret", "db-password"):
        assert secret not in shown


@pytest.mark.usefixtures("aihc")
@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgresql://bot:pw@db:5432/bot", "postgresql+psycopg://bot:pw@db:5432/bot"),
        ("postgres://bot@db/bot", "postgresql+psycopg://bot@db/bot"),
        ("sqlite:///./x.db", "sqlite+aiosqlite:///./x.db"),
    ],
)
def test_plain_database_urls_get_the_async_driver(
    monkeypatch: pytest.MonkeyPatch, given: str, used: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", given)

    assert load_settings().database_url.get_secret_value() == used


@pytest.mark.usefixtures("aihc")
def test_serving_needs_a_bot_token_and_in_http_mode_a_signing_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(SettingsError, match=r"^SLACK_BOT_TOKEN: required to serve"):
        load_settings().require_serving()

    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    with pytest.raises(SettingsError, match=r"^SLACK_SIGNING_SECRET: required when BOT_MODE=http"):
        load_settings().require_serving()

    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    load_settings().require_serving()
    monkeypatch.delenv("SLACK_SIGNING_SECRET")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
    load_settings().require_serving()


def test_migrating_needs_only_the_database_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://bot@db/bot")

    settings = load_database_settings()

    assert settings.database_url.get_secret_value() == "postgresql+psycopg://bot@db/bot"
    assert not isinstance(settings, Settings)
