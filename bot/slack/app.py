"""Build the Bolt app: one `create_app()` for both transports; the entry point picks one."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.inflight import InFlight
from bot.slack import listeners
from bot.slack.authorize import OnceAuthorize
from bot.slack.clients import Retries, create_client
from bot.slack.commands.dispatch import Dispatcher
from bot.slack.deps import SlackDeps

# Bolt logs under slack_bolt, so that its DEBUG lines (request and answer bodies) follow the
# floor `bot.logs` sets for the library.
bolt_logger = logging.getLogger("slack_bolt.AsyncApp")


class _NoEnvironmentTokenNotice(logging.Filter):
    """Drop Bolt's "`token` will be unused" warning: AsyncApp reads SLACK_BOT_TOKEN from the
    environment by itself (slack_bolt/app/async_app.py, `token or os.environ.get(...)`) and
    warns on every start, though the token reaches each request through `OnceAuthorize`."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().endswith("`token` will be unused.")


_ENVIRONMENT_TOKEN_NOTICE = _NoEnvironmentTokenNotice()


def create_web_client(*, token: str | None, api_url: str) -> AsyncWebClient:
    """Build the listeners' Web API client: repeats only harmless calls, waits out 429s."""
    return create_client(token=token, api_url=api_url, timeout=15, retries=Retries.POLICY)


def create_app(
    *,
    bot_token: str,
    api_url: str,
    signing_secret: str | None,
    socket_mode: bool,
    deps: SlackDeps,
    dispatcher: Dispatcher,
    inflight: InFlight,
) -> AsyncApp:
    """Build the app with every listener; HTTP mode verifies each request's signature.

    `process_before_response`: Bolt answers Slack when a listener returns, and every listener
    acks, hands its work to `inflight` and returns (`bot.slack.entry`). Without it Bolt runs the
    listener in a task and looks for the ack every 10 ms, so under a burst each ack waits for a
    turn between everyone's work. The bot token reaches each request through `OnceAuthorize`
    (one `auth.test` for all), so the app's own client holds none.
    """
    client = create_web_client(token=None, api_url=api_url)
    bolt_logger.addFilter(_ENVIRONMENT_TOKEN_NOTICE)  # once: a logger keeps a filter only once
    app = AsyncApp(
        client=client,
        authorize=OnceAuthorize(client, bot_token),
        signing_secret=signing_secret,
        request_verification_enabled=not socket_mode,
        process_before_response=True,
        logger=bolt_logger,
    )
    listeners.register(app, deps, dispatcher, inflight)
    return app
