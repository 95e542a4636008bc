"""Buttons of watching: Subscribe here / Unsubscribe here on job cards, Remove in the table."""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.aihc.errors import AihcError
from bot.services.context import Actor
from bot.services.errors import ServiceError
from bot.services.subscriptions import Options, SubscriptionRefused, job_target
from bot.slack import render
from bot.slack.commands.context import CommandContext
from bot.slack.commands.watch import refusal, service
from bot.slack.deps import SlackDeps
from bot.slack.i18n import Lang, t
from bot.slack.ids import ActionId
from bot.slack.refs import JobKey
from bot.slack.render.blocks import section
from bot.slack.render.fmt import msg
from bot.slack.replies import Reply

logger = logging.getLogger(__name__)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def actor_of(body: dict[str, Any]) -> Actor:
    """Return who pressed a button, and where."""
    user = body.get("user") or {}
    team = body.get("team") or {}
    channel = body.get("channel") or body.get("container") or {}
    return Actor(
        team_id=_text(team.get("id")) or _text(user.get("team_id")),
        channel_id=_text(channel.get("id")) or _text(channel.get("channel_id")),
        user_id=_text(user.get("id")),
    )


def _value(body: dict[str, Any]) -> str:
    actions = body.get("actions") or [{}]
    return _text(actions[0].get("value")) if isinstance(actions[0], dict) else ""


def _say(lang: Lang, key: str, **params: object) -> Reply:
    blocks = [section(msg(lang, key, **params))]
    return Reply(blocks=blocks, text=render.fallback_text(blocks))


async def press(deps: SlackDeps, ctx: CommandContext, action: str, value: str) -> Reply:
    """Do what a watching button asks and return the answer for the person who pressed it."""
    lang = ctx.lang
    try:
        if action == ActionId.REMOVE_SUBSCRIPTION:
            removed = await service(ctx).remove(ctx.actor, int(value), None)
            return _say(lang, "watch.removed" if removed else "watch.gone")
        key = JobKey.model_validate_json(value)
        pool = await deps.reads.pool(key.pool)
        target = job_target(pool, await deps.reads.job(pool, key.job))
        kind = t(lang, "watch.kind.job")
        if action == ActionId.SUBSCRIBE_HERE:
            await service(ctx).subscribe(ctx.actor, target, Options())
            what = f"{t(lang, 'watch.what.status')}, {t(lang, 'watch.what.events')}"
            return _say(lang, "watch.subscribed", kind=kind, ref=target.label, what=what)
        removed = await service(ctx).unsubscribe(ctx.actor, target)
        done = "watch.unsubscribed" if removed else "watch.not_subscribed"
        return _say(lang, done, kind=kind, ref=target.label)
    except SubscriptionRefused as error:
        return refusal(ctx, error)
    except (ValidationError, ValueError):
        return _say(lang, "action.stale")
    except (ServiceError, AihcError):
        return _say(lang, "watch.unavailable")


def register(app: AsyncApp, deps: SlackDeps) -> None:
    """Attach the watching buttons to the app."""

    async def on_press(
        ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        await ack()
        actor = actor_of(body)
        lang = await deps.locales.lang_of(client, actor.team_id, actor.user_id)
        ctx = CommandContext(deps=deps, actor=actor, lang=lang, now=deps.clock())
        action = _text(((body.get("actions") or [{}])[0]).get("action_id"))
        reply = await press(deps, ctx, action, _value(body))
        await respond(
            text=reply.text,
            blocks=reply.blocks,
            response_type="ephemeral",
            replace_original=False,
        )

    for action in (
        ActionId.SUBSCRIBE_HERE,
        ActionId.UNSUBSCRIBE_HERE,
        ActionId.REMOVE_SUBSCRIPTION,
    ):
        app.action(action.value)(on_press)
