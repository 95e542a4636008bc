"""Bolt listeners, registered apart from their implementation: every one is built by the one
entry (`bot.slack.entry`), so each request is bounded, acknowledged and answered the same way."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.inflight import InFlight
from bot.slack import home, interactions, interactions_forms, watch_actions
from bot.slack.admission import Admission
from bot.slack.commands.dispatch import Dispatcher
from bot.slack.deps import SlackDeps
from bot.slack.entry import Entry

logger = logging.getLogger(__name__)

SLASH_COMMAND = "/aihc"


def register(
    app: AsyncApp,
    deps: SlackDeps,
    dispatcher: Dispatcher,
    inflight: InFlight,
    admission: Admission | None = None,
) -> None:
    """Attach every listener to the app; the work after each ack runs in `inflight`."""
    entry = Entry(deps, dispatcher, admission or Admission(), inflight)

    async def on_error(error: Exception, body: dict[str, Any]) -> None:
        # Reached only when the entry itself breaks; nothing of it goes back to Slack.
        logger.error("listener failed", exc_info=error, extra={"type": body.get("type")})

    app.command(SLASH_COMMAND)(entry.command())
    interactions.register(app, entry, dispatcher)  # card buttons, "More", choices
    watch_actions.register(app, entry, dispatcher)  # Subscribe/Unsubscribe here, Remove
    interactions_forms.register(app, entry)  # the forms' submissions
    home.register(app, entry, deps, inflight)  # the App Home tab
    app.error(on_error)
