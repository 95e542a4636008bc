"""Buttons that run commands: the job card's Stop, Priority, Logs, Events and Refresh call the
same handlers as the commands; "More" and "which one?" choices re-run a command line.

Values are parsed and checked like any other input; a card changes in place and its thread says
who did what. A choice acts only for the person who asked.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Any

import aiohttp
from pydantic import ValidationError
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.domain import Job
from bot.slack import render
from bot.slack.clients import failure_code
from bot.slack.commands.context import CommandRef
from bot.slack.commands.dispatch import Dispatcher
from bot.slack.commands.grammar import Command, ParseError
from bot.slack.entry import ButtonHandler, Entry, Request, as_dict
from bot.slack.errors import BadValue
from bot.slack.home_view import republish
from bot.slack.ids import ActionId
from bot.slack.refs import JobKey
from bot.slack.render.actions import msg_by
from bot.slack.render.blocks import section
from bot.slack.replies import NO_REPLY, Block, Reply, deliver, reply

logger = logging.getLogger(__name__)

MAX_VALUE = 2000
"""Slack's own limit on a button value; anything longer did not come from our buttons."""

CHOICE_ACTION = re.compile(rf"^{re.escape(ActionId.CHOOSE.value)}(:\d+)?$")


def clicked_value(body: dict[str, Any]) -> str:
    """Return the clicked element's value (a button's, or a chosen option's), bounded."""
    actions = body.get("actions")
    action = as_dict(actions[0]) if isinstance(actions, list) and actions else {}
    raw = action.get("value")
    if raw is None:
        raw = as_dict(action.get("selected_option")).get("value")
    if not isinstance(raw, str) or not raw or len(raw) > MAX_VALUE:
        raise BadValue()
    return raw


def job_key_of(body: dict[str, Any]) -> JobKey:
    """Read the clicked element's JobKey."""
    try:
        return JobKey.model_validate_json(clicked_value(body))
    except ValidationError:
        raise BadValue() from None


def _channel_ts(body: dict[str, Any]) -> str:
    """Return the clicked card's `ts` when it is a channel message (ephemerals have none)."""
    container = as_dict(body.get("container"))
    ts = container.get("message_ts")
    return "" if container.get("is_ephemeral") or not isinstance(ts, str) else ts


def card_buttons(dispatcher: Dispatcher) -> dict[str, ButtonHandler]:
    """Return the job card buttons' handlers by action id: each runs the command whose table
    entry names the button, on the card's job."""

    def card_button(command: Command) -> ButtonHandler:
        async def on_card(request: Request) -> Reply:
            key = job_key_of(request.body)
            args: dict[str, Any] = dict(key.args())
            args.update(dict.fromkeys(command.button_flags, True))
            if any(p.name == "priority" for p in command.params):
                if key.priority is None:
                    raise BadValue()
                args["priority"] = key.priority
            answer = await dispatcher.invoke(request.ctx, command.id, args)
            if answer.outcome != "ok":
                return answer.reply
            if answer.reply.card is not None:  # an action: the card shows what it did
                return await _show_outcome(request, answer.reply, answer.reply.card)
            if command.button == ActionId.REFRESH:
                await _replace_card(request, answer.reply.blocks)
                return NO_REPLY
            return answer.reply

        return on_card

    return {c.button: card_button(c) for c in dispatcher.grammar.commands if c.button}


def rerun_button(dispatcher: Dispatcher) -> ButtonHandler:
    """Return the handler of "More" and of the choices: run the command line in the value."""

    async def on_rerun(request: Request) -> Reply:
        try:
            ref = CommandRef.model_validate_json(clicked_value(request.body))
        except ValidationError:
            raise BadValue() from None
        ctx = request.ctx
        if ref.user and ref.user != ctx.actor.user_id:
            return reply([section(msg_by(ctx.lang, "choice.not_yours", ref.user))])
        if not ref.user and _writes(dispatcher, ref.line):
            # A choice made before choices named their asker: no confirm, anyone could click.
            raise BadValue()
        answer = await dispatcher.answer(replace(ctx, offset=ref.offset), ref.line)
        if answer.share and request.respond is not None:
            await deliver(
                answer.reply, respond=request.respond, client=request.client, actor=ctx.actor,
                share=True,
            )  # fmt: skip
            return NO_REPLY
        return answer.reply

    return on_rerun


def _writes(dispatcher: Dispatcher, line: str) -> bool:
    """Say whether a command line runs a write command (one that asks to confirm)."""
    try:
        return bool(dispatcher.grammar.parse(line).command.confirm)
    except ParseError:
        return False


async def _show_outcome(request: Request, answer: Reply, card: Job) -> Reply:
    """Redraw the card as the action left it; tell the thread when it changed the job."""
    ctx = request.ctx
    await _replace_card(request, render.job_card_blocks(card, now=ctx.now, lang=ctx.lang))
    ts = _channel_ts(request.body)
    if answer.changed and ts:
        await _thread_line(request, ts, answer.notice)
        return NO_REPLY
    return reply(answer.notice)


async def _replace_card(request: Request, blocks: list[Block]) -> None:
    text = render.fallback_text(blocks)
    ts = _channel_ts(request.body)
    if ts:
        try:
            await request.client.chat_update(
                channel=request.ctx.actor.channel_id, ts=ts, blocks=blocks, text=text
            )
            return
        except SlackApiError as error:
            logger.warning("card update failed", extra={"slack_error": failure_code(error)})
    if request.respond is not None:
        await request.respond(text=text, blocks=blocks, replace_original=True)
    else:  # pressed on the App Home tab: Home shows the job as it is now
        await republish(request)


async def _thread_line(request: Request, ts: str, blocks: list[Block]) -> None:
    try:
        await request.client.chat_postMessage(
            channel=request.ctx.actor.channel_id,
            thread_ts=ts,
            blocks=blocks,
            text=render.fallback_text(blocks),
        )
    except (SlackApiError, aiohttp.ClientError, TimeoutError) as error:
        # Not repeated (see bot.slack.clients): a lost answer may hide a line that landed.
        logger.warning("thread line failed", extra={"slack_error": failure_code(error)})


def register(app: AsyncApp, entry: Entry, dispatcher: Dispatcher) -> None:
    """Attach the card buttons, "More", the choices and the terminal link's ack."""
    for action_id, handler in card_buttons(dispatcher).items():
        app.action(action_id)(entry.button(handler))
    rerun = entry.button(rerun_button(dispatcher))
    app.action(ActionId.LIST_MORE.value)(rerun)
    app.action(CHOICE_ACTION)(rerun)

    async def on_link(ack: Any) -> None:
        await ack()  # a link button opens its URL in Slack; the click only needs an ack

    app.action(ActionId.OPEN_TERMINAL.value)(on_link)
