"""Handlers of the digest commands: schedule, stop, or post a channel's digest now."""

from __future__ import annotations

from datetime import time

from slack_sdk.errors import SlackApiError

from bot.domain.digest import DigestPeriod
from bot.services.digest_schedules import DEFAULT_TIME
from bot.services.digest_times import BadSchedule, Schedule, parse_zone
from bot.slack.commands.context import CommandContext, Handler
from bot.slack.commands.grammar import Invocation
from bot.slack.i18n import t
from bot.slack.render.blocks import section
from bot.slack.render.digest_schedule import digest_scheduled_blocks
from bot.slack.render.fmt import msg
from bot.slack.replies import Reply, reply

FALLBACK_ZONE = "UTC"


async def user_zone(ctx: CommandContext) -> str:
    """Return the asker's Slack time zone (`users.info`), or UTC when it is not known."""
    if ctx.client is None:
        return FALLBACK_ZONE
    try:
        response = await ctx.client.users_info(user=ctx.actor.user_id)
        user = response.get("user") or {}
        name = user.get("tz") if isinstance(user, dict) else None
        return str(parse_zone(name)) if isinstance(name, str) else FALLBACK_ZONE
    except (SlackApiError, BadSchedule, OSError, TimeoutError):
        return FALLBACK_ZONE


async def handle_digest_schedule_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Schedule this channel's daily or weekly digest at a local time of day."""
    period = DigestPeriod(inv.command.id.rsplit(".", 1)[-1])
    at: time = inv.get("when") or DEFAULT_TIME
    zone: str = inv.get("tz") or await user_zone(ctx)
    scheduled = await ctx.deps.digest_schedules.schedule(ctx.actor, Schedule(period, at, zone))
    return reply(digest_scheduled_blocks(period, at, zone, scheduled.next_due, lang=ctx.lang))


async def handle_digest_off_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Stop this channel's digest."""
    stopped = await ctx.deps.digest_schedules.stop(ctx.actor)
    return reply([section(msg(ctx.lang, "digest.stopped" if stopped else "digest.none"))])


async def handle_digest_now_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Post this channel's digest now, through the same delivery as scheduled ones."""
    digest = await ctx.deps.digest_schedules.post_now(
        ctx.actor, period=inv.get("period"), zone=await user_zone(ctx)
    )
    period = t(ctx.lang, f"digest.period.{digest.period.value}")
    return reply([section(msg(ctx.lang, "digest.queued", period=period))])


DIGEST_HANDLERS: dict[str, Handler] = {
    "digest.daily": handle_digest_schedule_command,
    "digest.weekly": handle_digest_schedule_command,
    "digest.off": handle_digest_off_command,
    "digest.now": handle_digest_now_command,
}
