"""Build the Bolt app: one `create_app()` for both transports; the entry point picks one."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack import listeners
from bot.slack.clients import Retries, create_client
from bot.slack.commands.dispatch import Dispatcher
from bot.slack.deps import SlackDeps

# Bolt logs under slack_bolt, so that its DEBUG lines (request and answer bodies) follow the
# floor `bot.logs` sets for the library.
bolt_logger = logging.getLogger("slack_bolt.AsyncApp")


def create_web_client(*, token: str, api_url: str) -> AsyncWebClient:
    """Build the listeners' Web API client: repeats only harmless calls, waits out 429s."""
    return create_client(token=token, api_url=api_url, timeout=15, retries=Retries.POLICY)


def create_app(
    *,
    client: AsyncWebClient,
    signing_secret: str | None,
    socket_mode: bool,
    deps: SlackDeps,
    dispatcher: Dispatcher,
) -> AsyncApp:
    """Build the app with every listener; HTTP mode verifies each request's signature."""
    app = AsyncApp(
        client=client,
        signing_secret=signing_secret,
        request_verification_enabled=not socket_mode,
        logger=bolt_logger,
    )
    listeners.register(app, deps, dispatcher)
    return app
