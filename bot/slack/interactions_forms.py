"""The forms' submissions: field errors go back under their fields, else act and say so.

Which command opens which form is declared in the grammar table (`Command.form`); the forms
are built in `commands.forms`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import ValidationError
from slack_bolt.async_app import AsyncApp

from bot.domain import JobSpec, QueueSpec
from bot.slack.commands.context import CommandContext
from bot.slack.entry import MAX_METADATA, Ack, Entry, Request, SubmissionHandler, as_dict
from bot.slack.i18n import Lang, t
from bot.slack.ids import CallbackId
from bot.slack.modals import FormMeta, notice_view
from bot.slack.modals_parse import FormErrors, job_spec, queue_spec
from bot.slack.render.actions import done_blocks, msg_by
from bot.slack.replies import NO_REPLY, Reply, reply


def form_values(view: dict[str, Any]) -> dict[str, Any]:
    """Read a submitted view's inputs: text, a chosen option's value, or chosen values."""
    values: dict[str, Any] = {}
    state = as_dict(as_dict(view.get("state")).get("values"))
    for block_id, actions in state.items():
        element = as_dict(as_dict(actions).get("value"))
        if "selected_options" in element:
            chosen = element.get("selected_options")
            items = chosen if isinstance(chosen, list) else [None]
            values[block_id] = [as_dict(o).get("value") for o in items]
        elif "selected_option" in element:
            values[block_id] = as_dict(element.get("selected_option")).get("value")
        else:
            values[block_id] = element.get("value")
    return values


def problems(lang: Lang, error: FormErrors) -> dict[str, str]:
    """Word a form's problems, one short line per field."""
    return {field: t(lang, key, **params)[:150] for field, (key, params) in error.problems.items()}


Act = Callable[[CommandContext, FormMeta, Any, str], Awaitable[Reply]]


def submission(read: Callable[[dict[str, Any], FormMeta], Any], act: Act) -> SubmissionHandler:
    """Return a form's submission handler: read the spec from the fields, then act on it."""

    async def handle_submission(request: Request, ack: Ack) -> Reply:
        view = as_dict(request.body.get("view"))
        lang = request.ctx.lang
        metadata = view.get("private_metadata")
        try:
            if not isinstance(metadata, str) or len(metadata) > MAX_METADATA:
                raise ValueError("no metadata")
            meta = FormMeta.model_validate_json(metadata or "{}")
        except (ValidationError, ValueError):
            stale = notice_view(
                t(lang, "modal.refused_title"), t(lang, "action.bad_value"), lang=lang
            )
            await ack(response_action="update", view=stale)
            return NO_REPLY
        try:
            spec = read(form_values(view), meta)
        except FormErrors as error:
            await ack(response_action="errors", errors=problems(lang, error))
            return NO_REPLY
        await ack()
        view_id = view.get("id")
        return await act(request.ctx, meta, spec, view_id if isinstance(view_id, str) else "")

    return handle_submission


async def create_job(ctx: CommandContext, meta: FormMeta, spec: JobSpec, view_id: str) -> Reply:
    """Create the job the form describes (the view id keeps a double submit to one job)."""
    pool = await ctx.deps.reads.pool(meta.pool)
    ref = await ctx.deps.actions.create_job(ctx.actor, pool, spec, request_key=view_id)
    text = msg_by(ctx.lang, "action.create.done", ctx.actor.user_id, job=spec.name,
                  id=ref.job_id, pool=pool.name or pool.id)  # fmt: skip
    return reply(done_blocks(text, ref.request_id, lang=ctx.lang))


def change_queue(kind: str) -> Act:
    """Return the act of the queue form: `created` or `updated`."""

    async def act(ctx: CommandContext, meta: FormMeta, spec: QueueSpec, view_id: str) -> Reply:
        pool = await ctx.deps.reads.pool(meta.pool)
        actions = ctx.deps.actions
        change = actions.update_queue if kind == "updated" else actions.create_queue
        done = await change(ctx.actor, pool, spec)
        text = msg_by(ctx.lang, f"action.queue.{kind}", ctx.actor.user_id, queue=spec.name,
                      pool=pool.name or pool.id)  # fmt: skip
        return reply(done_blocks(text, done.request_id, lang=ctx.lang))

    return act


def _queue(values: dict[str, Any], meta: FormMeta) -> QueueSpec:
    return queue_spec(values, name=meta.queue, gpu_resource=meta.gpu)


SUBMISSIONS: dict[CallbackId, SubmissionHandler] = {
    CallbackId.JOB_CREATE: submission(lambda values, _: job_spec(values), create_job),
    CallbackId.QUEUE_CREATE: submission(_queue, change_queue("created")),
    CallbackId.QUEUE_UPDATE: submission(_queue, change_queue("updated")),
}


def register(app: AsyncApp, entry: Entry) -> None:
    """Attach the forms' submission listeners."""
    for callback_id, handler in SUBMISSIONS.items():
        app.view(callback_id.value)(entry.submission(handler))
