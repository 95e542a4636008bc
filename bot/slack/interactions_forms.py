"""Slash commands that open forms (`job create`, `queue create|update` without flags), the JSON
job spec, the private terminal link, and the forms' submissions."""

from __future__ import annotations

import logging
import re
from typing import Any

from pydantic import ValidationError
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.services.context import Actor
from bot.services.permissions import Permission
from bot.slack import render
from bot.slack.clients import failure_code
from bot.slack.commands.actions import gpu_resource
from bot.slack.commands.context import CommandContext
from bot.slack.commands.dispatch import Dispatcher
from bot.slack.commands.grammar import ParseError, normalise
from bot.slack.deps import SlackDeps
from bot.slack.i18n import Lang, t
from bot.slack.ids import CallbackId
from bot.slack.interactions_common import _dict, _text, error_blocks
from bot.slack.modals import FormMeta, job_view, loading_view, notice_view, queue_view
from bot.slack.modals_parse import FormErrors, job_spec, job_spec_from_json, queue_spec
from bot.slack.render.actions import done_blocks, msg_by
from bot.slack.replies import Block, deliver

logger = logging.getLogger(__name__)

_FORM = re.compile(r"^\s*(job\s+create|queue\s+create|queue\s+update|job\s+terminal)\b", re.I)
_SHARE = re.compile(r"(?:^|\s)--share(?=\s|$)", re.I)
_FLAGS = re.compile(r"\s--(?!pool\b)[a-z]", re.I)


async def is_form_command(body: dict[str, Any]) -> bool:
    """Match the slash commands this module answers (before the general listener)."""
    return bool(_FORM.match(normalise(_text(body.get("text")))))


def form_values(view: dict[str, Any]) -> dict[str, Any]:
    """Read a submitted view's inputs: text, a chosen option's value, or chosen values."""
    values: dict[str, Any] = {}
    state = _dict(_dict(view.get("state")).get("values"))
    for block_id, actions in state.items():
        element = _dict(_dict(actions).get("value"))
        if "selected_options" in element:
            chosen = element.get("selected_options")
            items = chosen if isinstance(chosen, list) else [None]
            values[block_id] = [_dict(o).get("value") for o in items]
        elif "selected_option" in element:
            values[block_id] = _dict(element.get("selected_option")).get("value")
        else:
            values[block_id] = element.get("value")
    return values


def _problems(lang: Lang, error: FormErrors) -> dict[str, str]:
    return {field: t(lang, key, **params)[:150] for field, (key, params) in error.problems.items()}


class Forms:
    """Open the forms, read their submissions, and answer the JSON job spec."""

    def __init__(self, deps: SlackDeps, dispatcher: Dispatcher) -> None:
        self._deps = deps
        self._dispatcher = dispatcher

    async def _ctx(self, actor: Actor, client: AsyncWebClient) -> CommandContext:
        lang = await self._deps.locales.lang_of(client, actor.team_id, actor.user_id)
        return CommandContext(deps=self._deps, actor=actor, lang=lang, now=self._deps.clock())

    async def command(
        self, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        """Answer a form command (already acknowledged)."""
        actor = Actor(
            _text(body.get("team_id")), _text(body.get("channel_id")), _text(body.get("user_id"))
        )
        ctx = await self._ctx(actor, client)
        text = normalise(_text(body.get("text")))
        words = text.split(maxsplit=2)
        verb = f"{words[0]} {words[1]}".lower()
        rest = words[2] if len(words) > 2 else ""
        trigger = _text(body.get("trigger_id"))
        if verb == "job terminal":
            # The link is a credential: however it was asked for, it goes to the asker alone.
            reply, _ = await self._dispatcher.run(ctx, _SHARE.sub(" ", text))
            await deliver(reply, respond=respond, client=client, actor=actor, share=False)
        elif verb == "job create" and rest.lstrip().startswith("{"):
            await self._json_job(ctx, rest, trigger, respond)
        elif (verb == "job create" or not _FLAGS.search(f" {rest}")) and _parses(
            self._dispatcher, text
        ):
            await self._open(ctx, verb, text, trigger, client, respond)
        else:
            reply, share = await self._dispatcher.run(ctx, text)
            await deliver(reply, respond=respond, client=client, actor=actor, share=share)

    async def _json_job(
        self, ctx: CommandContext, raw: str, trigger: str, respond: AsyncRespond
    ) -> None:
        try:
            spec, pool_ref = job_spec_from_json(raw)
            pool = await self._deps.reads.pool_for(ctx.actor, pool_ref)
            actions = self._deps.require_actions()
            ref = await actions.create_job(ctx.actor, pool, spec, request_key=trigger or raw)
            blocks = self._created(ctx, spec.name, ref.job_id, pool.name or pool.id, ref.request_id)
        except FormErrors as error:
            lines = [f"{field}: {message}" for field, message in _problems(ctx.lang, error).items()]
            blocks = render.notice_blocks(t(ctx.lang, "problem.bad_spec", detail="; ".join(lines)))
        except Exception as error:  # answered privately; never a Slack error
            blocks = await error_blocks(error, ctx)
        await _answer(respond, blocks)

    def _created(
        self, ctx: CommandContext, name: str, job_id: str, pool: str, request_id: str
    ) -> list[Block]:
        text = msg_by(
            ctx.lang, "action.create.done", ctx.actor.user_id, job=name, id=job_id, pool=pool
        )
        return done_blocks(text, request_id, lang=ctx.lang)

    async def _open(
        self,
        ctx: CommandContext,
        verb: str,
        text: str,
        trigger: str,
        client: AsyncWebClient,
        respond: AsyncRespond,
    ) -> None:
        # The trigger expires in about 3 s: open a loading view first, fill it in afterwards.
        try:
            opened = await client.views_open(trigger_id=trigger, view=loading_view(lang=ctx.lang))
        except SlackApiError as error:
            logger.warning("views.open failed", extra={"slack_error": failure_code(error)})
            failed = t(ctx.lang, "action.failed", message=str(error.response.get("error")))
            await _answer(respond, render.notice_blocks(failed))
            return
        view_id = _text(_dict(opened.get("view")).get("id"))
        try:
            view = await self._form(ctx, verb, text)
            blocks: list[Block] = []
        except Exception as error:  # shown in the modal, and in the channel to the asker
            blocks = await error_blocks(error, ctx)
            view = notice_view(t(ctx.lang, "modal.refused_title"), _mrkdwn(blocks), lang=ctx.lang)
        try:
            await client.views_update(view_id=view_id, view=view)
        except SlackApiError as error:
            logger.warning("views.update failed", extra={"slack_error": failure_code(error)})
        if blocks:  # a refusal or failure is also said where the command was typed
            await _answer(respond, blocks)

    async def _form(self, ctx: CommandContext, verb: str, text: str) -> dict[str, Any]:
        inv = self._dispatcher.grammar.parse(text)
        reads, actions = self._deps.reads, self._deps.require_actions()
        pool = await reads.pool_for(ctx.actor, inv.get("pool"))
        queues = await reads.queues(pool)
        meta = FormMeta(
            pool=pool.id,
            channel=ctx.actor.channel_id,
            queue=inv.get("queue") or "",
            gpu=gpu_resource(queues),
        )
        if verb == "job create":
            await actions.allow(ctx.actor, Permission.CREATE_JOB, f"{pool.id}/*", pool_id=pool.id,
                                action="job.create")  # fmt: skip
            return job_view(pool, queues, await reads.nodes(pool), meta, lang=ctx.lang)
        action = "queue.update" if verb == "queue update" else "queue.create"
        target = f"{pool.id}/{meta.queue}"
        await actions.allow(
            ctx.actor, Permission.CHANGE_QUEUE, target, pool_id=pool.id, action=action
        )
        queue = await reads.queue(pool, meta.queue) if verb == "queue update" else None
        name = pool.name or pool.id
        return queue_view(meta, queue, meta.gpu, pool_name=name, lang=ctx.lang)

    async def submit(
        self, kind: str, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        """Check a submitted form: errors go back under their fields, else act and say so."""
        view = _dict(body.get("view"))
        user = _text(_dict(body.get("user")).get("id"))
        team = _text(_dict(body.get("team")).get("id"))
        try:
            meta = FormMeta.model_validate_json(_text(view.get("private_metadata")) or "{}")
        except ValidationError:
            lang = await self._deps.locales.lang_of(client, team, user)
            stale = notice_view(
                t(lang, "modal.refused_title"), t(lang, "action.bad_value"), lang=lang
            )
            await ack(response_action="update", view=stale)
            return
        ctx = await self._ctx(Actor(team, meta.channel, user), client)
        try:
            values = form_values(view)
            spec: Any = (
                job_spec(values)
                if kind == "job"
                else queue_spec(values, name=meta.queue, gpu_resource=meta.gpu)
            )
        except FormErrors as error:
            await ack(response_action="errors", errors=_problems(ctx.lang, error))
            return
        await ack()
        blocks = await self._act(ctx, kind, meta, spec, _text(view.get("id")))
        await self._tell(client, ctx.actor, blocks)

    async def _act(
        self, ctx: CommandContext, kind: str, meta: FormMeta, spec: Any, view_id: str
    ) -> list[Block]:
        actions = self._deps.require_actions()
        try:
            pool = await self._deps.reads.pool(meta.pool)
            name = pool.name or pool.id
            if kind == "job":
                ref = await actions.create_job(ctx.actor, pool, spec, request_key=view_id)
                return self._created(ctx, spec.name, ref.job_id, name, ref.request_id)
            change = actions.update_queue if kind == "queue.updated" else actions.create_queue
            done = await change(ctx.actor, pool, spec)
            key = f"action.queue.{kind.split('.')[1]}"
            text = msg_by(ctx.lang, key, ctx.actor.user_id, queue=spec.name, pool=name)
            return done_blocks(text, done.request_id, lang=ctx.lang)
        except Exception as error:  # answered privately; never a Slack error
            return await error_blocks(error, ctx)

    @staticmethod
    async def _tell(client: AsyncWebClient, actor: Actor, blocks: list[Block]) -> None:
        text = render.fallback_text(blocks)
        try:
            if actor.channel_id:
                await client.chat_postEphemeral(
                    channel=actor.channel_id, user=actor.user_id, blocks=blocks, text=text
                )
            else:
                await client.chat_postMessage(channel=actor.user_id, blocks=blocks, text=text)
        except SlackApiError as error:
            logger.warning("form answer failed", extra={"slack_error": failure_code(error)})


async def _answer(respond: AsyncRespond, blocks: list[Block]) -> None:
    text = render.fallback_text(blocks)
    await respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)


def _parses(dispatcher: Dispatcher, text: str) -> bool:
    try:
        dispatcher.grammar.parse(text)
    except ParseError:
        return False  # the general path answers with the usage
    return True


def _mrkdwn(blocks: list[Block]) -> str:
    parts = [_text(_dict(b.get("text")).get("text")) for b in blocks]
    return "\n".join(p for p in parts if p) or "—"


def register(app: AsyncApp, deps: SlackDeps, dispatcher: Dispatcher) -> None:
    """Attach the form command listener (ahead of the general one) and the submissions'."""
    forms = Forms(deps, dispatcher)

    async def on_command(
        ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        await ack()
        await forms.command(body, respond, client)

    def on_submit(kind: str) -> Any:
        async def listener(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
            await forms.submit(kind, ack, body, client)

        return listener

    app.command("/aihc", matchers=[is_form_command])(on_command)
    app.view(CallbackId.JOB_CREATE.value)(on_submit("job"))
    app.view(CallbackId.QUEUE_CREATE.value)(on_submit("queue.created"))
    app.view(CallbackId.QUEUE_UPDATE.value)(on_submit("queue.updated"))
