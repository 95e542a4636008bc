"""Bolt listeners: acknowledge at once, then parse, run and answer. Registered apart from Bolt."""

from __future__ import annotations

import logging
import re
from typing import Any

from pydantic import ValidationError
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.services.context import Actor
from bot.slack import interactions, render, watch_actions
from bot.slack.commands.context import CommandContext, CommandRef
from bot.slack.commands.dispatch import Dispatcher
from bot.slack.deps import SlackDeps
from bot.slack.i18n import t
from bot.slack.ids import ActionId
from bot.slack.replies import deliver

logger = logging.getLogger(__name__)

SLASH_COMMAND = "/aihc"
CHOICE_ACTION = re.compile(rf"^{re.escape(ActionId.CHOOSE.value)}(:\d+)?$")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


async def handle_aihc_command(
    deps: SlackDeps,
    dispatcher: Dispatcher,
    *,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
) -> None:
    """Run a slash command (after it was acknowledged) and answer it."""
    actor = Actor(
        team_id=_text(body.get("team_id")),
        channel_id=_text(body.get("channel_id")),
        user_id=_text(body.get("user_id")),
    )
    lang = await deps.locales.lang_of(client, actor.team_id, actor.user_id)
    ctx = CommandContext(deps=deps, actor=actor, lang=lang, now=deps.clock())
    reply, share = await dispatcher.run(ctx, _text(body.get("text")))
    await deliver(reply, respond=respond, client=client, actor=actor, share=share)


async def handle_rerun_action(
    deps: SlackDeps,
    dispatcher: Dispatcher,
    *,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
) -> None:
    """Run the command a button refers to ("More", or one of several same-named things)."""
    actor = _actor_of_action(body)
    lang = await deps.locales.lang_of(client, actor.team_id, actor.user_id)
    actions = body.get("actions") or [{}]
    try:
        ref = CommandRef.model_validate_json(_text(actions[0].get("value")))
    except (ValidationError, AttributeError):
        blocks = render.notice_blocks(t(lang, "action.stale"))
        await respond(text=render.fallback_text(blocks), blocks=blocks, replace_original=False)
        return
    ctx = CommandContext(deps=deps, actor=actor, lang=lang, now=deps.clock(), offset=ref.offset)
    reply, share = await dispatcher.run(ctx, ref.line)
    await deliver(reply, respond=respond, client=client, actor=actor, share=share)


def _actor_of_action(body: dict[str, Any]) -> Actor:
    user = body.get("user") or {}
    team = body.get("team") or {}
    channel = body.get("channel") or body.get("container") or {}
    return Actor(
        team_id=_text(team.get("id")) or _text(user.get("team_id")),
        channel_id=_text(channel.get("id")) or _text(channel.get("channel_id")),
        user_id=_text(user.get("id")),
    )


def register(app: AsyncApp, deps: SlackDeps, dispatcher: Dispatcher) -> None:
    """Attach every listener to the app."""

    async def on_command(
        ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        await ack()
        await handle_aihc_command(deps, dispatcher, body=body, respond=respond, client=client)

    async def on_rerun(
        ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        await ack()
        await handle_rerun_action(deps, dispatcher, body=body, respond=respond, client=client)

    async def on_error(error: Exception, body: dict[str, Any]) -> None:
        # Reached only when a listener itself breaks; nothing of it goes back to Slack.
        logger.error("listener failed", exc_info=error, extra={"type": body.get("type")})

    interactions.register(app, deps, dispatcher)  # card buttons and forms; before on_command
    app.command(SLASH_COMMAND)(on_command)
    app.action(ActionId.LIST_MORE.value)(on_rerun)
    app.action(CHOICE_ACTION)(on_rerun)
    watch_actions.register(app, deps)  # Subscribe/Unsubscribe here, Remove subscription
    app.error(on_error)
