"""Handlers of the admin commands: channel pools, roles, user links and the audit trail."""

from __future__ import annotations

from bot.slack.commands.context import CommandContext, Handler
from bot.slack.commands.grammar import Invocation
from bot.slack.i18n import t
from bot.slack.render.actions import audit_blocks, done_blocks, msg_by, roles_blocks
from bot.slack.render.fmt import msg
from bot.slack.replies import Reply, reply

DEFAULT_AUDIT = 20


async def handle_config_pool_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Set the channel's default pool."""
    pool = await ctx.deps.reads.pool(inv.get("pool"))
    await ctx.deps.admin.set_default_pool(ctx.actor, pool, now=ctx.now)
    return reply(
        done_blocks(msg(ctx.lang, "config.pool.done", pool=pool.name or pool.id), lang=ctx.lang)
    )


async def handle_config_pools_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Limit the channel to some pools, or lift the limit with `all`."""
    pools = [await ctx.deps.reads.pool(ref) for ref in inv.get("pools")]
    await ctx.deps.admin.set_allowed_pools(ctx.actor, pools, now=ctx.now)
    if not pools:
        return reply(done_blocks(msg(ctx.lang, "config.pools.all"), lang=ctx.lang))
    names = ", ".join(pool.name or pool.id for pool in pools)
    return reply(done_blocks(msg(ctx.lang, "config.pools.done", pools=names), lang=ctx.lang))


async def _role_change(ctx: CommandContext, inv: Invocation, *, grant: bool) -> Reply:
    user, role = inv.get("user"), inv.get("role")
    if grant:
        changed = await ctx.deps.admin.grant(ctx.actor, user, role, now=ctx.now)
        key = "role.granted" if changed else "role.had"
    else:
        changed = await ctx.deps.admin.revoke(ctx.actor, user, role)
        key = "role.revoked" if changed else "role.not_had"
    role_name = t(ctx.lang, f"role.{role.value}")
    return reply(done_blocks(msg_by(ctx.lang, key, user, role=role_name), lang=ctx.lang))


async def handle_admin_grant_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Grant a role."""
    return await _role_change(ctx, inv, grant=True)


async def handle_admin_revoke_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Revoke a role."""
    return await _role_change(ctx, inv, grant=False)


async def handle_admin_roles_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Show who holds which role."""
    view = await ctx.deps.admin.roles(ctx.actor)
    return reply(roles_blocks(view.bindings, view.bot_admins, lang=ctx.lang))


async def handle_admin_link_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Link a Slack user to an AIHC user name."""
    user, aihc_user = inv.get("user"), inv.get("aihc_user")
    await ctx.deps.admin.link(ctx.actor, user, aihc_user, now=ctx.now)
    return reply(
        done_blocks(msg_by(ctx.lang, "link.done", user, aihc_user=aihc_user), lang=ctx.lang)
    )


async def handle_admin_audit_command(ctx: CommandContext, inv: Invocation) -> Reply:
    """Show the newest audit entries."""
    entries = await ctx.deps.admin.audit(ctx.actor, inv.get("count") or DEFAULT_AUDIT)
    return reply(audit_blocks(entries, lang=ctx.lang))


ADMIN_HANDLERS: dict[str, Handler] = {
    "config.pool": handle_config_pool_command,
    "config.pools": handle_config_pools_command,
    "admin.grant": handle_admin_grant_command,
    "admin.revoke": handle_admin_revoke_command,
    "admin.roles": handle_admin_roles_command,
    "admin.link": handle_admin_link_command,
    "admin.audit": handle_admin_audit_command,
}
