"""Handlers of the watching commands: resolve the target, call the subscription service, answer."""

from __future__ import annotations

from datetime import timedelta

from bot.services.subscriptions import (
    Options,
    SubscriptionRefused,
    SubscriptionService,
    Target,
    job_target,
    pool_target,
    queue_target,
)
from bot.slack import render
from bot.slack.commands.context import CommandContext, Handler
from bot.slack.commands.grammar import Invocation
from bot.slack.commands.watch_table import WHAT
from bot.slack.i18n import Lang, t
from bot.slack.render.blocks import section
from bot.slack.render.fmt import msg, stamp
from bot.slack.render.subscriptions import subscriptions_blocks
from bot.slack.replies import Reply


def _reply(blocks: list[render.Block]) -> Reply:
    return Reply(blocks=blocks, text=render.fallback_text(blocks))


def _say(lang: Lang, key: str, **params: object) -> Reply:
    return _reply([section(msg(lang, key, **params))])


def service(ctx: CommandContext) -> SubscriptionService:
    """Return the subscription service (kept for callers; prefer `ctx.deps.subscriptions`)."""
    return ctx.deps.subscriptions


async def target_of(ctx: CommandContext, inv: Invocation) -> Target:
    """Resolve the job, queue or pool a watching command names."""
    kind = inv.command.id.rsplit("_", 1)[-1]
    if kind == "pool":
        return pool_target(await ctx.deps.reads.pool(inv.get("pool")))
    pool = await ctx.deps.reads.pool_for(ctx.actor, inv.get("pool"))
    if kind == "queue":
        return queue_target(pool, (await ctx.deps.reads.queue(pool, inv.get("queue"))).name)
    return job_target(pool, await ctx.deps.reads.job(pool, inv.get("job")))


def refusal(ctx: CommandContext, error: SubscriptionRefused) -> Reply:
    """Explain a refusal in words; the needed role is named."""
    decision = error.decision
    role = decision.needed.value if decision.needed else ""
    key = {
        "refused.owner_or_role": "watch.refused.owner_or_role",
        "refused.channel_pool": "watch.refused.channel_pool",
    }.get(decision.reason, "watch.refused.role")
    return _say(ctx.lang, key, role=role, pool=decision.pool_id or "")


def _kind(ctx: CommandContext, target: Target) -> str:
    return t(ctx.lang, f"watch.kind.{target.kind.value}")


async def handle_subscribe_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Subscribe this channel to a job, a queue or a pool."""
    target = await target_of(ctx, inv)
    chosen = inv.get("what") or frozenset({"status", "events"})
    options = Options(
        status="status" in chosen,
        events="events" in chosen,
        logs="logs" in chosen,
        on=inv.get("on") or (),
        mention=inv.get("mention"),
    )
    try:
        await service(ctx).subscribe(ctx.actor, target, options)
    except SubscriptionRefused as error:
        return refusal(ctx, error)
    what = ", ".join(t(ctx.lang, f"watch.what.{w}") for w in WHAT if w in chosen)
    return _say(ctx.lang, "watch.subscribed", kind=_kind(ctx, target), ref=target.label, what=what)


async def handle_unsubscribe_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Stop following a job, a queue or a pool in this channel."""
    target = await target_of(ctx, inv)
    try:
        removed = await service(ctx).unsubscribe(ctx.actor, target)
    except SubscriptionRefused as error:
        return refusal(ctx, error)
    key = "watch.unsubscribed" if removed else "watch.not_subscribed"
    return _say(ctx.lang, key, kind=_kind(ctx, target), ref=target.label)


async def handle_list_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """List this channel's subscriptions with remove buttons."""
    rows = await service(ctx).in_channel(ctx.actor)
    return _reply(subscriptions_blocks(rows, now=ctx.now, lang=ctx.lang))


async def handle_mute_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Mute a subscription of this channel for a while."""
    target = await target_of(ctx, inv)
    duration: timedelta = inv.get("duration")
    try:
        muted = await service(ctx).mute(ctx.actor, target, duration)
    except SubscriptionRefused as error:
        return refusal(ctx, error)
    if not muted:
        return _say(ctx.lang, "watch.not_subscribed", kind=_kind(ctx, target), ref=target.label)
    until = stamp(ctx.now + duration)
    return _say(ctx.lang, "watch.muted", kind=_kind(ctx, target), ref=target.label, until=until)


async def handle_unmute_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Unmute a subscription of this channel."""
    target = await target_of(ctx, inv)
    try:
        unmuted = await service(ctx).mute(ctx.actor, target, None)
    except SubscriptionRefused as error:
        return refusal(ctx, error)
    if not unmuted:
        return _say(ctx.lang, "watch.not_subscribed", kind=_kind(ctx, target), ref=target.label)
    return _say(ctx.lang, "watch.unmuted", kind=_kind(ctx, target), ref=target.label)


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
