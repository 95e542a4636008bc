"""Opening the forms a command declares (`Command.form`): each form is a builder of its view;
`form_handler` turns a builder into the handler the dispatcher runs for that form."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.domain import Node, Pool, Queue
from bot.services.errors import Unavailable
from bot.services.permissions import Permission
from bot.slack import render
from bot.slack.clients import failure_code
from bot.slack.commands.context import CommandContext, Handler
from bot.slack.commands.grammar import Invocation
from bot.slack.errors import error_reply
from bot.slack.i18n import t
from bot.slack.ids import CallbackId
from bot.slack.modals import (
    FormMeta,
    View,
    gpu_resources,
    job_view,
    loading_view,
    notice_view,
    queue_view,
)
from bot.slack.replies import NO_REPLY, Block, Reply, reply

logger = logging.getLogger(__name__)

FormBuilder = Callable[[CommandContext, Invocation], Awaitable[View]]
"""Check that the asker may use the form, and build it (may call AIHC: it runs after opening)."""


def gpu_resource(pool: Pool, queues: list[Queue]) -> str:
    """Return the name the pool gives its (most plentiful) GPUs, e.g. `baidu.com/a800_80g_cgpu`.

    `baidu.com/gpu` only when neither the pool's `gpuDetail` nor any quota names one.
    """
    names = gpu_resources(pool, queues)
    return names[0] if names else "baidu.com/gpu"


def form_handler(build: FormBuilder) -> Handler:
    """Return the handler that opens a form: a loading view at once, then the form built."""

    async def open_form(ctx: CommandContext, inv: Invocation) -> Reply:
        client = ctx.client
        if client is None or not ctx.trigger_id:
            return reply(render.notice_blocks(t(ctx.lang, "action.create.use_form")))
        # The trigger expires in about 3 s: open a loading view first, fill it in afterwards.
        try:
            opened = await client.views_open(
                trigger_id=ctx.trigger_id, view=loading_view(lang=ctx.lang)
            )
        except SlackApiError as error:
            logger.warning("views.open failed", extra={"slack_error": failure_code(error)})
            failed = t(ctx.lang, "action.failed", message=str(error.response.get("error")))
            return reply(render.notice_blocks(failed))
        view_id = str((opened.get("view") or {}).get("id") or "")
        answer = NO_REPLY
        try:
            view = await build(ctx, inv)
        except Exception as error:  # shown in the form, and where the command was typed
            answer = error_reply(error, lang=ctx.lang, source="form").reply
            title = t(ctx.lang, "modal.refused_title")
            view = notice_view(title, _mrkdwn(answer.blocks), lang=ctx.lang)
        try:
            await client.views_update(view_id=view_id, view=view)
        except SlackApiError as error:
            logger.warning("views.update failed", extra={"slack_error": failure_code(error)})
        return answer

    return open_form


async def _meta(ctx: CommandContext, inv: Invocation) -> tuple[Pool, FormMeta, list[Queue]]:
    pool = await ctx.deps.reads.pool_for(ctx.actor, inv.get("pool"))
    queues = await ctx.deps.reads.queues(pool)
    return (
        pool,
        FormMeta(
            pool=pool.id,
            channel=ctx.actor.channel_id,
            queue=inv.get("queue") or "",
            gpu=gpu_resource(pool, queues),
        ),
        queues,
    )


async def build_job_form(ctx: CommandContext, inv: Invocation) -> View:
    """Build the job form for an operator."""
    pool, meta, queues = await _meta(ctx, inv)
    actions = ctx.deps.actions
    await actions.allow(
        ctx.actor, Permission.CREATE_JOB, f"{pool.id}/*", pool_id=pool.id, action="job.create"
    )
    return job_view(pool, queues, await _nodes_if_listed(ctx, pool), meta, lang=ctx.lang)


async def _nodes_if_listed(ctx: CommandContext, pool: Pool) -> list[Node]:
    """Return the pool's nodes for the GPU choices; none where the API lists none (v2): the
    pool's and queues' GPU resources still offer the choices."""
    try:
        return await ctx.deps.reads.nodes(pool)
    except Unavailable:
        return []


async def build_queue_form(ctx: CommandContext, inv: Invocation) -> View:
    """Build the queue form (empty to create, filled to update) for an admin."""
    pool, meta, _ = await _meta(ctx, inv)
    reads, actions = ctx.deps.reads, ctx.deps.actions
    update = inv.command.form == CallbackId.QUEUE_UPDATE
    action = "queue.update" if update else "queue.create"
    target = f"{pool.id}/{meta.queue}"
    await actions.allow(ctx.actor, Permission.CHANGE_QUEUE, target, pool_id=pool.id, action=action)
    queue = await reads.queue(pool, meta.queue) if update else None
    return queue_view(meta, queue, meta.gpu, pool_name=pool.name or pool.id, lang=ctx.lang)


def _mrkdwn(blocks: list[Block]) -> str:
    parts: list[Any] = [(b.get("text") or {}).get("text") for b in blocks]
    return "\n".join(p for p in parts if isinstance(p, str) and p) or "—"


FORM_HANDLERS: dict[str, Handler] = {
    CallbackId.JOB_CREATE.value: form_handler(build_job_form),
    CallbackId.QUEUE_CREATE.value: form_handler(build_queue_form),
    CallbackId.QUEUE_UPDATE.value: form_handler(build_queue_form),
}
