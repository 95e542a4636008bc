"""Handlers of the read commands: resolve, fetch through the read service, render."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.domain import MetricType
from bot.insight.waiting import is_waiting
from bot.services.errors import require_offered
from bot.slack import render
from bot.slack.commands.context import CommandContext, CommandRef, Handler, job_of
from bot.slack.commands.dispatch import offered_in
from bot.slack.commands.grammar import Invocation
from bot.slack.commands.table import GRAMMAR
from bot.slack.i18n import t
from bot.slack.render.blocks import context
from bot.slack.replies import Attachment, Reply, reply

JOBS_PER_PAGE = 25
PRIVATE_TAIL = 500
"""Most log lines `logs` fetches for an answer only the asker sees."""
SHARED_TAIL = 50
"""Most log lines `logs --share` fetches: a channel is read by many, keep it short."""
DEFAULT_TAIL = 100
DEFAULT_METRICS_SPAN = timedelta(hours=1)
"""What `metrics` shows without `--since`: the read service's default too."""


async def handle_pool_list_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """List every resource pool."""
    pools = await ctx.deps.reads.pools()
    return reply(render.pools_blocks(pools, now=ctx.now, lang=ctx.lang))


async def handle_pool_show_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Show one pool."""
    pool = await ctx.deps.reads.pool(inv.get("pool"))
    return reply(render.pool_blocks(pool, now=ctx.now, lang=ctx.lang))


async def handle_pool_nodes_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """List a pool's nodes."""
    pool = await ctx.deps.reads.pool_for(ctx.actor, inv.get("pool"))
    nodes = await ctx.deps.reads.nodes(pool)
    return reply(render.nodes_blocks(pool, nodes, lang=ctx.lang))


async def handle_queue_list_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """List a pool's queues."""
    pool = await ctx.deps.reads.pool_for(ctx.actor, inv.get("pool"))
    queues = await ctx.deps.reads.queues(pool)
    return reply(render.queues_blocks(pool, queues, lang=ctx.lang))


async def handle_queue_show_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Show one queue."""
    pool = await ctx.deps.reads.pool_for(ctx.actor, inv.get("pool"))
    queue = await ctx.deps.reads.queue(pool, inv.get("queue"))
    return reply(render.queue_blocks(queue, now=ctx.now, lang=ctx.lang))


async def handle_job_list_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """List a pool's jobs a page at a time, reading only the AIHC pages this page needs."""
    pool = await ctx.deps.reads.pool_for(ctx.actor, inv.get("pool"))
    owner = ctx.actor if inv.get("mine") else None
    page = await ctx.deps.reads.jobs_page(
        pool,
        offset=ctx.offset,
        count=JOBS_PER_PAGE,
        queue=inv.get("queue"),
        status=inv.get("status"),
        owner=owner,
    )
    more = CommandRef(line=inv.line(), offset=page.end).model_dump_json() if page.more else None
    title = t(ctx.lang, "jobs.title", pool=pool.name or pool.id)
    blocks = render.jobs_blocks(
        page.jobs,
        now=ctx.now,
        lang=ctx.lang,
        title=title,
        start=page.start,
        total=page.total,
        more_value=more,
        searched=(page.start, page.end) if page.filtered else None,
    )
    return reply(blocks)


async def handle_job_show_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Show a job's card, with its training's progress while it runs."""
    pool, job = await job_of(ctx, inv)
    progress = await ctx.deps.training.progress(pool, job, now=ctx.now)
    return reply(render.job_card_blocks(job, now=ctx.now, lang=ctx.lang, progress=progress))


async def handle_job_events_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Show a job's or a pod's events, warnings first."""
    pool, job = await job_of(ctx, inv)
    events = await ctx.deps.reads.events(pool, job, pod=inv.get("pod"))
    title = t(ctx.lang, "events.title", target=inv.get("pod") or job.name)
    return reply(render.events_blocks(title, events, now=ctx.now, lang=ctx.lang))


async def handle_job_logs_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Show the tail of a pod's log; a log too long for a message also comes as a file."""
    pool, job = await job_of(ctx, inv)
    asked: int | None = inv.get("tail")
    cap = SHARED_TAIL if inv.share else PRIVATE_TAIL
    tail = min(asked or DEFAULT_TAIL, cap)
    logs = await ctx.deps.reads.logs(
        pool, job, now=ctx.now, pod=inv.get("pod"), tail=tail, since=inv.get("since")
    )
    title = t(ctx.lang, "logs.title", pod=logs.pod_name)
    note = None
    if asked is not None and asked > cap:
        note = t(ctx.lang, "logs.capped", cap=cap, private=PRIVATE_TAIL, shared=SHARED_TAIL)
    blocks = render.logs_blocks(title, logs.lines, lang=ctx.lang, note=note)
    attachment = None
    if not render.logs_fit(logs.lines):
        attachment = Attachment(
            filename=f"{logs.pod_name}.log",
            title=title,
            content=render.logs_file_text(logs.lines),
        )
    return Reply(blocks=blocks, text=render.fallback_text(blocks), attachment=attachment)


async def handle_job_metrics_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Show one metric of a job as sparklines per pod; `--chart` sends a PNG chart too, to the
    channel when shared, else to the asker's direct messages (an ephemeral answer holds no file)."""
    pool, job = await job_of(ctx, inv)
    since: timedelta = inv.get("since") or DEFAULT_METRICS_SPAN
    metric = inv.get("type", MetricType.GPU_USAGE)
    metrics = await ctx.deps.reads.metrics(pool, job, now=ctx.now, metric_type=metric, since=since)
    blocks = render.metrics_blocks(metrics, lang=ctx.lang)
    if not inv.get("chart"):
        return reply(blocks)
    # Drawing takes a few hundred milliseconds of CPU: off the event loop.
    chart = await asyncio.to_thread(
        render.metrics_chart, metrics, job=job.name or job.id, since=since, lang=ctx.lang
    )
    if chart is None:
        return reply(blocks)
    where = "metrics.chart_here" if inv.share else "metrics.chart_dm"
    blocks.append(context(t(ctx.lang, where)))
    attachment = Attachment(
        filename=chart.filename,
        title=chart.title,
        content=chart.png,
        alt_text=chart.alt_text,
        comment=chart.comment,
    )
    return reply(blocks, attachment=attachment)


async def handle_job_nodes_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """List the nodes a job runs on."""
    pool, job = await job_of(ctx, inv)
    nodes = await ctx.deps.reads.job_nodes(pool, job)
    return reply(render.job_nodes_blocks(nodes, lang=ctx.lang))


async def handle_job_why_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Say why a queued job waits; a job that is not queued gets its status in one line."""
    pool, job = await job_of(ctx, inv)
    if not is_waiting(job):
        return reply(render.not_waiting_blocks(job, lang=ctx.lang))
    report = await ctx.deps.reads.why(pool, job)
    return reply(render.why_blocks(report, lang=ctx.lang))


async def handle_help_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Show every command, or one command's usage."""
    asked: str | None = inv.get("command")
    version = ctx.deps.api_version
    offered = offered_in(version)
    commands = [command for command in GRAMMAR.commands if offered(command)]
    if not asked:
        return reply(render.help_blocks(commands, lang=ctx.lang))
    words = asked.split()
    found = GRAMMAR.find(words)
    if found is None:
        suggestion = GRAMMAR.suggest(words, offered=offered)
        return reply(render.unknown_command_blocks(asked, suggestion, lang=ctx.lang))
    require_offered(version, found[0].id)
    return reply(render.help_blocks(commands, lang=ctx.lang, command=found[0]))


READ_HANDLERS: dict[str, Handler] = {
    "pool.list": handle_pool_list_command,
    "pool.show": handle_pool_show_command,
    "pool.nodes": handle_pool_nodes_command,
    "queue.list": handle_queue_list_command,
    "queue.show": handle_queue_show_command,
    "job.list": handle_job_list_command,
    "job.show": handle_job_show_command,
    "job.events": handle_job_events_command,
    "job.logs": handle_job_logs_command,
    "job.metrics": handle_job_metrics_command,
    "job.nodes": handle_job_nodes_command,
    "job.why": handle_job_why_command,
    "help": handle_help_command,
}
