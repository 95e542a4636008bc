"""`aihc-bot check`: validate the settings and reach AIHC, Slack and the database."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from slack_sdk.errors import SlackApiError
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.aihc.connect import aihc_client
from bot.aihc.errors import AihcApiError
from bot.aihc.retry import RetryPolicy
from bot.insight.causes import read_rules
from bot.insight.progress_rules import read_progress_rules
from bot.insight.rulefile import RuleFile
from bot.settings import Settings, SettingsError, WatchSettings, load_settings
from bot.slack.app import create_web_client
from bot.store import Store
from bot.store.migrate import current_revision, head_revision, knows_revision

Probe = Callable[[Settings], Awaitable[str]]
PROBE_TIMEOUT_SECONDS = 10.0
SKIPS_SHOWN = 5


def run_check(args: argparse.Namespace) -> int:
    """Print one line per check; exit 0 only when every one passes."""
    try:
        settings = load_settings()
        settings.require_serving()
    except SettingsError as error:
        sys.stdout.write(f"✗ settings: {error}\n")
        return 1
    sys.stdout.write(f"✓ settings: valid ({settings.transport} mode)\n")
    sys.stdout.write(f"✓ watch: {watch_summary(settings.bot_poll_interval, settings.watch)}\n")
    causes_ok = _check_rules("cause rules", settings.watch.cause_rules, read_rules)
    progress_ok = _check_rules("progress rules", settings.watch.progress_rules, read_progress_rules)
    probes = asyncio.run(_probe_all(settings))
    return probes if causes_ok and progress_ok else 1


def watch_summary(poll_interval: float, watch: WatchSettings) -> str:
    """Describe the watcher's validated knobs in one line (no secrets among them)."""
    return (
        f"poll {poll_interval:g} s, tick {watch.tick_seconds:g} s, "
        f"lease {watch.lease_seconds:g} s, Slack timeout {watch.slack_timeout} s, "
        f"pace {watch.pace_seconds:g} s, {watch.max_attempts} attempts, "
        f"{watch.log_lines} log lines, burst {watch.burst_threshold}, batch {watch.batch}, "
        f"hang {watch.hang_minutes} min, idle <{watch.idle_percent:g} % for "
        f"{watch.idle_minutes} min, pending {watch.pending_minutes} min, "
        f"metrics every {watch.metrics_minutes} min"
    )


def _check_rules(label: str, path: Path | None, read: Callable[[Path], RuleFile[object]]) -> bool:
    """Print a line about a rules file when one is set; False only if the file is unusable.

    A skipped rule is reported but passes: the watcher runs without it, as `serve` would.
    """
    if path is None:
        return True
    found = read(path)
    if found.error is not None:
        sys.stdout.write(f"✗ {label}: cannot read {path}: {found.error}\n")
        return False
    used = f"{len(found.rules)} rule(s) from {path}"
    if not found.skipped:
        sys.stdout.write(f"✓ {label}: {used}\n")
        return True
    skipped = "; ".join(f"line {s.line}: {s.reason}" for s in found.skipped[:SKIPS_SHOWN])
    more = f"; {len(found.skipped) - SKIPS_SHOWN} more" if len(found.skipped) > SKIPS_SHOWN else ""
    sys.stdout.write(
        f"⚠ {label}: {used}, {len(found.skipped)} line(s) skipped ({skipped}{more}); "
        "skipped lines do not fail the check\n"
    )
    return True


async def _probe_all(settings: Settings) -> int:
    probes: dict[str, Probe] = {"database": _database, "aihc": _aihc, "slack": _slack}
    failures = 0
    for name, probe in probes.items():
        try:
            detail = await asyncio.wait_for(probe(settings), PROBE_TIMEOUT_SECONDS)
        except Exception as error:  # every failure is reported, none crashes the check
            failures += 1
            sys.stdout.write(f"✗ {name}: {_describe(error)}\n")
        else:
            sys.stdout.write(f"✓ {name}: {detail}\n")
    return 0 if failures == 0 else 1


def _describe(error: BaseException) -> str:
    if isinstance(error, TimeoutError):
        return f"no answer within {PROBE_TIMEOUT_SECONDS:.0f} s"
    if isinstance(error, AihcApiError):
        return (
            f"{error.code or error.status}: {error.message} (request id {error.request_id or '-'})"
        )
    if isinstance(error, SlackApiError):
        return f"Slack said {error.response.get('error')}"
    first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return first_line[:200]


async def _database(settings: Settings) -> str:
    url = settings.database_url.get_secret_value()
    store = Store.from_url(url)
    try:
        async with store.transaction() as uow:
            await uow.session.execute(text("SELECT 1"))
    finally:
        await store.dispose()
    at, head = await asyncio.to_thread(current_revision, url), head_revision()
    shown = make_url(url).render_as_string(hide_password=True)
    if at is not None and at != head and not knows_revision(at):
        raise NotMigrated(
            f"{shown} reachable, at {at}, which this aihc-bot does not know: "
            "a newer version migrated it; run that version"
        )
    if at != head:
        # Not a pass: an empty database may be the wrong one; `serve` would migrate it silently.
        raise NotMigrated(
            f"{shown} reachable, at {at or 'no revision'}, not {head}: "
            "run `aihc-bot migrate` (`serve` also migrates when it starts)"
        )
    return f"{shown} reachable, migrated"


class NotMigrated(Exception):
    """The database answers but is not at the head revision."""


async def _aihc(settings: Settings) -> str:
    version = settings.aihc_api_version
    async with aihc_client(
        version,
        settings.aihc_endpoint,
        settings.aihc_access_key.get_secret_value(),
        settings.aihc_secret_key,
        retry=RetryPolicy(attempts=2),
    ) as aihc:
        page = await aihc.list_pools(page_size=100)
    shown = f"{settings.aihc_endpoint} answered in AIHC API {version.value}"
    return f"{shown}, {len(page.items)} resource pool(s) visible"


async def _slack(settings: Settings) -> str:
    token = settings.slack_bot_token
    if token is None:
        raise SettingsError("SLACK_BOT_TOKEN is not set")
    client = create_web_client(token=token.get_secret_value(), api_url=settings.slack_api_url)
    response = await client.auth_test()
    signed_in = f"signed in as {response.get('user')} in {response.get('team')}"
    if settings.slack_app_token is None:
        return signed_in
    try:
        # The URL it hands out is left unused; Slack lets it expire.
        await client.apps_connections_open(app_token=settings.slack_app_token.get_secret_value())
    except SlackApiError as error:
        raise SettingsError(f"SLACK_APP_TOKEN: Slack said {error.response.get('error')}") from None
    return f"{signed_in}; the app token opens Socket Mode connections"
