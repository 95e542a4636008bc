"""Handlers of the watching commands: resolve the target, call the subscription service, answer."""

from __future__ import annotations

from datetime import timedelta

from bot.aihc.errors import AihcNotFound
from bot.domain import TargetKind, default_notices
from bot.services.errors import NotFound
from bot.services.subscriptions import (
    Options,
    Target,
    job_target,
    pool_target,
    queue_target,
)
from bot.slack.commands.context import CommandContext, Handler
from bot.slack.commands.grammar import Invocation
from bot.slack.commands.watch_table import WHAT
from bot.slack.i18n import Lang, t
from bot.slack.render.blocks import section
from bot.slack.render.digest_schedule import digest_row_blocks
from bot.slack.render.fmt import msg, stamp
from bot.slack.render.subscriptions import notices_text, subscriptions_blocks
from bot.slack.replies import Reply, reply


def say(lang: Lang, key: str, **params: object) -> Reply:
    """Answer with one catalogue sentence."""
    return reply([section(msg(lang, key, **params))])


async def target_of(ctx: CommandContext, inv: Invocation) -> Target:
    """Resolve the job, queue or pool a watching command names."""
    kind = inv.command.id.rsplit("_", 1)[-1]
    if kind == "pool":
        return pool_target(await ctx.deps.reads.pool(inv.get("pool")))
    pool = await ctx.deps.reads.pool_for(ctx.actor, inv.get("pool"))
    if kind == "queue":
        return queue_target(pool, (await ctx.deps.reads.queue(pool, inv.get("queue"))).name)
    job = await ctx.deps.reads.job(pool, inv.get("job"), queue=inv.get("queue"))
    return job_target(pool, job)


def _kind(ctx: CommandContext, target: Target) -> str:
    return t(ctx.lang, f"watch.kind.{target.kind.value}")


async def handle_subscribe_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Subscribe this channel to a job, a queue or a pool."""
    target = await target_of(ctx, inv)
    chosen = inv.get("what") or default_notices(target.kind)
    options = Options(
        status="status" in chosen,
        events="events" in chosen,
        logs="logs" in chosen,
        progress="progress" in chosen,
        hang="hang" in chosen,
        idle="idle" in chosen,
        pending="pending" in chosen,
        on=inv.get("on") or (),
        mention=inv.get("mention"),
    )
    await ctx.deps.subscriptions.subscribe(ctx.actor, target, options)
    what = notices_text((kind for kind in WHAT if kind in chosen), lang=ctx.lang)
    return say(ctx.lang, "watch.subscribed", kind=_kind(ctx, target), ref=target.label, what=what)


async def handle_unsubscribe_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Stop following a job, a queue or a pool in this channel."""
    target = await target_of(ctx, inv)
    removed = await ctx.deps.subscriptions.unsubscribe(ctx.actor, target)
    key = "watch.unsubscribed" if removed else "watch.not_subscribed"
    return say(ctx.lang, key, kind=_kind(ctx, target), ref=target.label)


async def handle_list_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """List this channel's subscriptions with remove buttons, and its digest."""
    rows = await ctx.deps.subscriptions.in_channel(ctx.actor)
    digest = await ctx.deps.digest_schedules.of_channel(ctx.actor)
    if digest is None:
        return reply(subscriptions_blocks(rows, now=ctx.now, lang=ctx.lang))
    # A channel with only a digest does not "follow nothing".
    blocks = subscriptions_blocks(rows, now=ctx.now, lang=ctx.lang) if rows else []
    when = digest.schedule
    blocks += digest_row_blocks(when.period, when.at, when.zone, digest.next_due, lang=ctx.lang)
    return reply(blocks)


async def handle_mute_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Mute a subscription of this channel for a while."""
    target = await target_of(ctx, inv)
    duration: timedelta = inv.get("duration")
    muted = await ctx.deps.subscriptions.mute(ctx.actor, target, duration)
    if not muted:
        return say(ctx.lang, "watch.not_subscribed", kind=_kind(ctx, target), ref=target.label)
    until = stamp(ctx.now + duration)
    return say(ctx.lang, "watch.muted", kind=_kind(ctx, target), ref=target.label, until=until)


async def handle_unmute_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Unmute a subscription of this channel."""
    target = await target_of(ctx, inv)
    unmuted = await ctx.deps.subscriptions.mute(ctx.actor, target, None)
    if not unmuted:
        return say(ctx.lang, "watch.not_subscribed", kind=_kind(ctx, target), ref=target.label)
    return say(ctx.lang, "watch.unmuted", kind=_kind(ctx, target), ref=target.label)


async def remove_subscription(ctx: CommandContext, subscription_id: int) -> Reply:
    """Remove one of this channel's subscriptions (the table's button): a job's owner may."""
    subscriptions = ctx.deps.subscriptions
    row = await subscriptions.get(ctx.actor, subscription_id)
    if row is None:
        return say(ctx.lang, "watch.gone")
    job = None
    if row.target_kind is TargetKind.JOB:
        # Ownership is read off the job, so the service needs it to let its owner remove.
        try:
            pool = await ctx.deps.reads.pool(row.pool_id)
            job = await ctx.deps.reads.job(pool, row.target_ref)
        except (NotFound, AihcNotFound):
            job = None  # gone from AIHC: only the role decides
    removed = await subscriptions.remove(ctx.actor, subscription_id, job)
    return say(ctx.lang, "watch.removed" if removed else "watch.gone")


WATCH_HANDLERS: dict[str, Handler] = {
    "watch.subscribe": handle_subscribe_command,
    "watch.subscribe_queue": handle_subscribe_command,
    "watch.subscribe_pool": handle_subscribe_command,
    "watch.unsubscribe": handle_unsubscribe_command,
    "watch.unsubscribe_queue": handle_unsubscribe_command,
    "watch.unsubscribe_pool": handle_unsubscribe_command,
    "watch.list": handle_list_command,
    "watch.mute": handle_mute_command,
    "watch.mute_queue": handle_mute_command,
    "watch.mute_pool": handle_mute_command,
    "watch.unmute": handle_unmute_command,
    "watch.unmute_queue": handle_unmute_command,
    "watch.unmute_pool": handle_unmute_command,
}
