"""Handlers of the commands that change jobs and queues; the services check and audit."""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain import Job, QueueSpec
from bot.services.actions import ActionResult
from bot.slack import render
from bot.slack.commands.context import CommandContext, Handler, job_of
from bot.slack.commands.forms import FORM_HANDLERS, gpu_resource
from bot.slack.commands.grammar import Invocation
from bot.slack.i18n import t
from bot.slack.modals_parse import FormErrors, job_spec_from_json
from bot.slack.render.actions import done_blocks, msg_by, outcome_text, terminal_blocks
from bot.slack.render.jobs import status_label
from bot.slack.replies import Reply, reply

_QUOTA_KINDS = ("deserved", "guarantee", "capability")


def outcome_notice(
    ctx: CommandContext, kind: str, job: Job, outcome: ActionResult, detail: str
) -> list[render.Block]:
    """Say what a stop, delete or priority change did (or why it changed nothing)."""
    if kind == "stop" and outcome.job is not None and not outcome.changed:
        detail = status_label(outcome.job, lang=ctx.lang)
    text = outcome_text(
        kind,
        job.name or job.id,
        changed=outcome.changed,
        actor=ctx.actor.user_id,
        by=outcome.by,
        detail=detail,
        lang=ctx.lang,
    )
    return done_blocks(text, outcome.request_id, lang=ctx.lang)


def outcome_reply(
    ctx: CommandContext, kind: str, job: Job, outcome: ActionResult, detail: str
) -> Reply:
    """Say what an action did, and show the job's card as it is now."""
    notice = outcome_notice(ctx, kind, job, outcome, detail)
    card = []
    if outcome.job is not None:
        card = render.job_card_blocks(outcome.job, now=ctx.now, lang=ctx.lang)
    return reply(notice + card, card=outcome.job, notice=notice, changed=outcome.changed)


async def handle_job_stop_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Stop a job."""
    pool, job = await job_of(ctx, inv)
    outcome = await ctx.deps.actions.stop(ctx.actor, pool, job)
    return outcome_reply(ctx, "stop", job, outcome, "")


async def handle_job_delete_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Delete a job."""
    pool, job = await job_of(ctx, inv)
    outcome = await ctx.deps.actions.delete(ctx.actor, pool, job)
    return outcome_reply(ctx, "delete", job, outcome, "")


async def handle_job_priority_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Change a job's priority."""
    pool, job = await job_of(ctx, inv)
    priority = inv.get("priority")
    outcome = await ctx.deps.actions.set_priority(ctx.actor, pool, job, priority)
    return outcome_reply(ctx, "priority", job, outcome, t(ctx.lang, f"priority.{priority.value}"))


async def handle_job_terminal_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Send a web terminal link to the asker alone (the table marks the command private)."""
    pool, job = await job_of(ctx, inv)
    url = await ctx.deps.actions.terminal(ctx.actor, pool, job, inv.get("pod"))
    pod = inv.get("pod") or (job.rank_zero_pod.name if job.rank_zero_pod else "")
    return reply(terminal_blocks(url, pod, lang=ctx.lang))


async def handle_job_create_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Create a job from a JSON spec (without one, the table opens the form instead)."""
    try:
        spec, pool_ref = job_spec_from_json(inv.get("spec") or "")
    except FormErrors as error:
        lines = [
            f"{field}: {t(ctx.lang, key, **params)[:150]}"
            for field, (key, params) in error.problems.items()
        ]
        detail = "; ".join(lines)
        return reply(render.notice_blocks(t(ctx.lang, "problem.bad_spec", detail=detail)))
    pool = await ctx.deps.reads.pool_for(ctx.actor, pool_ref or inv.get("pool"))
    request_key = ctx.trigger_id or inv.get("spec")
    ref = await ctx.deps.actions.create_job(ctx.actor, pool, spec, request_key=request_key)
    text = msg_by(
        ctx.lang,
        "action.create.done",
        ctx.actor.user_id,
        job=spec.name,
        id=ref.job_id,
        pool=pool.name or pool.id,
    )
    return reply(done_blocks(text, ref.request_id, lang=ctx.lang))


def quotas_in_aihc_terms(quota: Mapping[str, float] | None, gpu: str) -> dict[str, float] | None:
    """Rename `gpu` to the pool's GPU resource; memory stays GiB, as AIHC counts it."""
    if quota is None:
        return None
    out: dict[str, float] = {}
    for name, amount in quota.items():
        out[gpu if name == "gpu" else name] = amount
    return out


def queue_spec(inv: Invocation, gpu: str) -> QueueSpec:
    """Build a queue spec from the command's flags."""
    oversell = inv.get("oversell")
    quotas = {kind: quotas_in_aihc_terms(inv.get(kind), gpu) for kind in _QUOTA_KINDS}
    return QueueSpec(
        name=inv.get("queue"),
        description=inv.get("description"),
        parent_queue=inv.get("parent"),
        disable_oversell=None if oversell is None else not oversell,
        reclaimable=inv.get("reclaimable"),
        queueing_strategy=inv.get("strategy"),
        **quotas,
    )


async def _queue_change(ctx: CommandContext, inv: Invocation, kind: str) -> Reply:
    pool = await ctx.deps.reads.pool_for(ctx.actor, inv.get("pool"))
    spec = queue_spec(inv, gpu_resource(pool, await ctx.deps.reads.queues(pool)))
    change = ctx.deps.actions.create_queue if kind == "created" else ctx.deps.actions.update_queue
    ref = await change(ctx.actor, pool, spec)
    text = msg_by(
        ctx.lang,
        f"action.queue.{kind}",
        ctx.actor.user_id,
        queue=spec.name,
        pool=pool.name or pool.id,
    )
    return reply(done_blocks(text, ref.request_id, lang=ctx.lang))


async def handle_queue_create_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Create a queue from flags."""
    return await _queue_change(ctx, inv, "created")


async def handle_queue_update_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Change a queue from flags."""
    return await _queue_change(ctx, inv, "updated")


async def handle_queue_delete_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Delete a queue."""
    pool = await ctx.deps.reads.pool_for(ctx.actor, inv.get("pool"))
    queue = await ctx.deps.reads.queue(pool, inv.get("queue"))
    ref = await ctx.deps.actions.delete_queue(ctx.actor, pool, queue.name)
    text = msg_by(
        ctx.lang,
        "action.queue.deleted",
        ctx.actor.user_id,
        queue=queue.name,
        pool=pool.name or pool.id,
    )
    return reply(done_blocks(text, ref.request_id, lang=ctx.lang))


ACTION_HANDLERS: dict[str, Handler] = {
    "job.stop": handle_job_stop_command,
    "job.delete": handle_job_delete_command,
    "job.priority": handle_job_priority_command,
    "job.terminal": handle_job_terminal_command,
    "job.create": handle_job_create_command,
    "queue.create": handle_queue_create_command,
    "queue.update": handle_queue_update_command,
    "queue.delete": handle_queue_delete_command,
    **FORM_HANDLERS,
}
