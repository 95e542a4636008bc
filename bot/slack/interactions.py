"""Job card buttons: Stop, Priority, Logs, Events, Refresh. Values are `JobKey`s, parsed and
checked like any other input; the card changes in place and the thread says who did what."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from pydantic import ValidationError
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.aihc.errors import AihcNotFound
from bot.domain import Job, Pool
from bot.services.context import Actor
from bot.services.errors import NotFound
from bot.slack import interactions_forms, render
from bot.slack.clients import failure_code
from bot.slack.commands.actions import outcome_notice
from bot.slack.commands.context import CommandContext
from bot.slack.commands.dispatch import Dispatcher
from bot.slack.deps import SlackDeps
from bot.slack.i18n import t
from bot.slack.ids import ActionId
from bot.slack.interactions_common import MAX_VALUE, BadValue, _dict, _text, error_blocks
from bot.slack.refs import JobKey
from bot.slack.replies import Block, deliver

logger = logging.getLogger(__name__)


def actor_of(body: dict[str, Any]) -> Actor:
    """Return who clicked, in which workspace and channel."""
    user, team = _dict(body.get("user")), _dict(body.get("team"))
    channel = _dict(body.get("channel")) or _dict(body.get("container"))
    return Actor(
        team_id=_text(team.get("id")) or _text(user.get("team_id")),
        channel_id=_text(channel.get("id")) or _text(channel.get("channel_id")),
        user_id=_text(user.get("id")),
    )


def job_key_of(body: dict[str, Any]) -> JobKey:
    """Read the clicked element's JobKey (a button's value or a chosen option's)."""
    actions = body.get("actions")
    action = _dict(actions[0]) if isinstance(actions, list) and actions else {}
    raw = action.get("value")
    if raw is None:
        raw = _dict(action.get("selected_option")).get("value")
    if not isinstance(raw, str) or not raw or len(raw) > MAX_VALUE:
        raise BadValue()
    try:
        return JobKey.model_validate_json(raw)
    except ValidationError:
        raise BadValue() from None


async def _private(respond: AsyncRespond, blocks: list[Block]) -> None:
    text = render.fallback_text(blocks)
    await respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)


@dataclass(frozen=True)
class Click:
    """One click on a card button: who, in which language, and how to answer it."""

    ctx: CommandContext
    kind: str
    body: dict[str, Any]
    respond: AsyncRespond
    client: AsyncWebClient

    @property
    def channel_ts(self) -> str:
        """The `ts` of the clicked card when it is a channel message (ephemerals have none)."""
        container = _dict(self.body.get("container"))
        return "" if container.get("is_ephemeral") else _text(container.get("message_ts"))


class CardActions:
    """Run the job card's buttons."""

    def __init__(self, deps: SlackDeps, dispatcher: Dispatcher) -> None:
        self._deps = deps
        self._dispatcher = dispatcher

    async def _context(self, body: dict[str, Any], client: AsyncWebClient) -> CommandContext:
        actor = actor_of(body)
        lang = await self._deps.locales.lang_of(client, actor.team_id, actor.user_id)
        return CommandContext(deps=self._deps, actor=actor, lang=lang, now=self._deps.clock())

    async def _target(self, body: dict[str, Any]) -> tuple[JobKey, Pool, Job]:
        key = job_key_of(body)
        pool = await self._deps.reads.pool(key.pool)
        try:
            job = await self._deps.reads.job(pool, key.job)
        except AihcNotFound:
            raise NotFound("job", key.job) from None
        return key, pool, job

    async def run(
        self,
        kind: str,
        body: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
    ) -> None:
        """Run one click; whatever goes wrong becomes a private answer, never a Slack error."""
        click = Click(await self._context(body, client), kind, body, respond, client)
        handlers: dict[str, Callable[[Click], Awaitable[None]]] = {
            "stop": self._stop,
            "priority": self._priority,
            "refresh": self._refresh,
            "logs": self._show,
            "events": self._show,
        }
        try:
            await handlers[kind](click)
        except Exception as error:  # every failure is answered; none reaches Bolt
            await _private(respond, await error_blocks(error, click.ctx))

    async def _stop(self, click: Click) -> None:
        _, pool, job = await self._target(click.body)
        outcome = await self._deps.require_actions().stop(click.ctx.actor, pool, job)
        notice = outcome_notice(click.ctx, "stop", job, outcome, "")
        await self._show_outcome(click, notice, outcome.changed, outcome.job)

    async def _priority(self, click: Click) -> None:
        key, pool, job = await self._target(click.body)
        if key.priority is None:
            raise BadValue()
        actions = self._deps.require_actions()
        outcome = await actions.set_priority(click.ctx.actor, pool, job, key.priority)
        detail = t(click.ctx.lang, f"priority.{key.priority.value}")
        notice = outcome_notice(click.ctx, "priority", job, outcome, detail)
        await self._show_outcome(click, notice, outcome.changed, outcome.job)

    async def _refresh(self, click: Click) -> None:
        _, _, job = await self._target(click.body)
        await self._replace_card(click, job)

    async def _show(self, click: Click) -> None:
        key = job_key_of(click.body)
        # The key's ids match a strict pattern, so the line needs no quoting.
        line = f"job {click.kind} {key.job} --pool {key.pool}"
        reply, _ = await self._dispatcher.run(click.ctx, line)
        await deliver(
            reply, respond=click.respond, client=click.client, actor=click.ctx.actor, share=False
        )

    async def _show_outcome(
        self, click: Click, notice: list[Block], changed: bool, job: Job | None
    ) -> None:
        if job is not None:
            await self._replace_card(click, job)
        if changed and click.channel_ts:
            await self._thread_line(click, notice)
        else:
            await _private(click.respond, notice)

    async def _replace_card(self, click: Click, job: Job) -> None:
        blocks = render.job_card_blocks(job, now=click.ctx.now, lang=click.ctx.lang)
        text = render.fallback_text(blocks)
        if click.channel_ts:
            try:
                await click.client.chat_update(
                    channel=click.ctx.actor.channel_id,
                    ts=click.channel_ts,
                    blocks=blocks,
                    text=text,
                )
                return
            except SlackApiError as error:
                logger.warning("card update failed", extra={"slack_error": failure_code(error)})
        await click.respond(text=text, blocks=blocks, replace_original=True)

    @staticmethod
    async def _thread_line(click: Click, blocks: list[Block]) -> None:
        try:
            await click.client.chat_postMessage(
                channel=click.ctx.actor.channel_id,
                thread_ts=click.channel_ts,
                blocks=blocks,
                text=render.fallback_text(blocks),
            )
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as error:
            # Not repeated (see bot.slack.clients): a lost answer may hide a line that landed.
            logger.warning("thread line failed", extra={"slack_error": failure_code(error)})


_CARD_ACTIONS = {
    ActionId.STOP_JOB: "stop",
    ActionId.SET_PRIORITY: "priority",
    ActionId.SHOW_LOGS: "logs",
    ActionId.SHOW_EVENTS: "events",
    ActionId.REFRESH: "refresh",
}


def register(app: AsyncApp, deps: SlackDeps, dispatcher: Dispatcher) -> None:
    """Attach the card buttons' listeners (and the forms', see `modals`)."""
    card = CardActions(deps, dispatcher)

    def listener(kind: str) -> Callable[..., Awaitable[None]]:
        async def on_click(
            ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
        ) -> None:
            await ack()
            await card.run(kind, body, respond, client)

        return on_click

    async def on_link(ack: AsyncAck) -> None:
        await ack()  # a link button opens its URL in Slack; the click only needs an ack

    for action_id, kind in _CARD_ACTIONS.items():
        app.action(action_id.value)(listener(kind))
    app.action(ActionId.OPEN_TERMINAL.value)(on_link)
    interactions_forms.register(app, deps, dispatcher)
