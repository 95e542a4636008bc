"""The composition root: read settings once, build every part, pass each what it needs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import httpx
from slack_bolt.async_app import AsyncApp

from bot.aihc.client import AihcClient
from bot.aihc.connect import aihc_client
from bot.aihc.limits import Limits
from bot.aihc.retry import BACKGROUND_RETRY, INTERACTIVE_RETRY
from bot.aihc.transport import TransportOptions
from bot.domain.clock import Clock
from bot.inflight import InFlight
from bot.insight.causes import Rule
from bot.insight.progress_match import LinePattern
from bot.observability import BotMetrics
from bot.services.actions import ActionService
from bot.services.admin import AdminService, Auditor
from bot.services.digest_schedules import DigestScheduleService
from bot.services.digests import DigestService
from bot.services.home import HomeService
from bot.services.permissions import PermissionService
from bot.services.reads import ReadService
from bot.services.subscriptions import SubscriptionService
from bot.services.training import TrainingService
from bot.settings import Settings, SettingsError
from bot.slack.app import create_app
from bot.slack.commands.actions import ACTION_HANDLERS
from bot.slack.commands.admin import ADMIN_HANDLERS
from bot.slack.commands.digest import DIGEST_HANDLERS
from bot.slack.commands.dispatch import Dispatcher
from bot.slack.commands.reads import READ_HANDLERS
from bot.slack.commands.table import GRAMMAR
from bot.slack.commands.watch import WATCH_HANDLERS
from bot.slack.deps import SlackDeps
from bot.slack.locale import LocaleCache
from bot.slack.sender import SlackChatSender, create_sender_client
from bot.store import Store
from bot.watch.config import WatchConfig
from bot.watch.engine import Watcher


@dataclass
class Runtime:
    """Everything one bot process runs on."""

    settings: Settings
    store: Store
    aihc: AihcClient
    """The watcher's client: background reads ride out trouble for up to two minutes."""
    aihc_interactive: AihcClient
    """What people wait on (commands, buttons, `/readyz`): gives up within about 10 s.

    Made from `aihc` with `with_retry`: one connection pool, in-flight cap and rate limit per host.
    """
    metrics: BotMetrics
    slack_app: AsyncApp
    inflight: InFlight
    """The work Slack requests started after their ack; shutdown lets it finish."""
    clock: Clock
    """The one time every part reads; tests that move time read it too."""
    watcher: Watcher | None = None
    """The notification engine; `serve` starts and stops its ticks."""

    async def aclose(self) -> None:
        """Release connections: AIHC's pool and the database's."""
        await self.aihc.aclose()
        await self.store.dispose()


def build_slack_deps(
    *,
    store: Store,
    aihc: AihcClient,
    clock: Clock,
    admins: Sequence[str] = (),
    default_pool: str | None = None,
    language: Literal["en", "zh"] = "en",
    metrics: BotMetrics | None = None,
    progress_rules: Sequence[LinePattern] = (),
    cause_rules: Sequence[Rule] = (),
) -> SlackDeps:
    """Build every service the Slack listeners use over one store, AIHC client and clock."""
    permissions = PermissionService(store=store, admins=tuple(admins))
    auditor = Auditor(store=store, clock=clock)
    reads = ReadService(aihc=aihc, store=store, default_pool=default_pool)
    return SlackDeps(
        reads=reads,
        actions=ActionService(aihc=aihc, permissions=permissions, auditor=auditor),
        admin=AdminService(
            store=store, permissions=permissions, auditor=auditor, admins=tuple(admins)
        ),
        subscriptions=SubscriptionService(store=store, permissions=permissions, clock=clock),
        training=TrainingService(aihc=aihc, rules=progress_rules),
        home=HomeService(
            aihc=aihc,
            store=store,
            permissions=permissions,
            reads=reads,
            causes=cause_rules,
        ),
        locales=LocaleCache(language),
        metrics=metrics or BotMetrics(),
        clock=clock,
        digest_schedules=DigestScheduleService(
            store=store,
            permissions=permissions,
            digests=DigestService(store=store, aihc=aihc, causes=cause_rules),
            clock=clock,
        ),
        # The client was built for the API version set; what the commands offer follows it.
        api_version=aihc.api_version,
    )


def build_runtime(
    settings: Settings,
    *,
    aihc_transport: httpx.AsyncBaseTransport | None = None,
    clock: Clock | None = None,
) -> Runtime:
    """Build the store, the AIHC client, the services and the Slack app from the settings.

    `clock` is the one time every part reads (commands, audit, mutes, leases, pacing); tests that
    move time pass theirs.
    """
    settings.require_serving()
    bot_token = settings.slack_bot_token
    if bot_token is None:  # require_serving refused this already; narrow the type
        raise SettingsError("SLACK_BOT_TOKEN: required to serve")
    clock = clock or Clock()
    metrics = BotMetrics()
    store = Store.from_url(settings.database_url.get_secret_value())
    aihc = _aihc_client(settings, metrics, aihc_transport)
    interactive = aihc.with_retry(INTERACTIVE_RETRY)
    config = WatchConfig(
        poll_interval=settings.bot_poll_interval,
        language=settings.bot_language,
        settings=settings.watch,
    )
    deps = build_slack_deps(
        store=store,
        aihc=interactive,
        clock=clock,
        admins=settings.bot_admins,
        default_pool=settings.aihc_default_pool,
        language=settings.bot_language,
        metrics=metrics,
        progress_rules=config.progress_rules,
        cause_rules=config.cause_rules,
    )
    secret = settings.slack_signing_secret
    inflight = InFlight()
    slack_app = create_app(
        bot_token=bot_token.get_secret_value(),
        api_url=settings.slack_api_url,
        signing_secret=secret.get_secret_value() if secret else None,
        socket_mode=settings.transport == "socket",
        deps=deps,
        dispatcher=Dispatcher(
            GRAMMAR,
            {
                **READ_HANDLERS,
                **ACTION_HANDLERS,
                **ADMIN_HANDLERS,
                **WATCH_HANDLERS,
                **DIGEST_HANDLERS,
            },
        ),
        inflight=inflight,
    )
    sender_client = create_sender_client(
        token=bot_token.get_secret_value(),
        api_url=settings.slack_api_url,
        timeout=settings.watch.slack_timeout,
    )
    sender = SlackChatSender(sender_client, lang=settings.bot_language, clock=clock)
    watcher = Watcher(store=store, aihc=aihc, sender=sender, config=config, clock=clock)
    return Runtime(
        settings=settings,
        store=store,
        aihc=aihc,
        aihc_interactive=interactive,
        metrics=metrics,
        slack_app=slack_app,
        inflight=inflight,
        clock=clock,
        watcher=watcher,
    )


def _aihc_client(
    settings: Settings, metrics: BotMetrics, transport: httpx.AsyncBaseTransport | None
) -> AihcClient:
    """Build the watcher's AIHC client of the API version set: background retries, one limit
    per host, metrics."""
    limits = Limits(
        max_in_flight=settings.aihc_max_in_flight,
        rate_per_second=settings.aihc_rate_limit,
        burst=max(1, int(settings.aihc_rate_limit)),
    )
    options: TransportOptions = {
        "observer": metrics.observe_aihc,
        "limits": limits,
        "retry": BACKGROUND_RETRY,
    }
    if transport is not None:
        options["transport"] = transport
    return aihc_client(
        settings.aihc_api_version,
        settings.aihc_endpoint,
        settings.aihc_access_key.get_secret_value(),
        settings.aihc_secret_key,
        **options,
    )
