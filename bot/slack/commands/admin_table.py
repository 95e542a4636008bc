"""The admin commands: channel configuration, roles, user links and the audit trail."""

from __future__ import annotations

from bot.slack.commands import converters
from bot.slack.commands.converters import audit_count, pool_list, role, slack_user
from bot.slack.commands.grammar import Command, Param

_USER = Param("user", required=True, convert=slack_user, metavar="@user")
_ROLE = Param("role", required=True, convert=role, metavar="operator|admin")

ADMIN_COMMANDS = (
    Command(
        "config.pool", ("config", "pool"), (Param("pool", required=True, convert=converters.name),)
    ),
    Command(
        "config.pools",
        ("config", "pools"),
        (Param("pools", required=True, convert=pool_list, metavar="p1,p2|all"),),
    ),
    Command("admin.grant", ("role", "grant"), (_USER, _ROLE)),
    Command("admin.revoke", ("role", "revoke"), (_USER, _ROLE)),
    Command("admin.roles", ("roles",), aliases=(("role", "list"),)),
    Command(
        "admin.link",
        ("link",),
        (_USER, Param("aihc_user", required=True, convert=converters.name, metavar="aihc-user")),
    ),
    Command("admin.audit", ("audit",), (Param("count", convert=audit_count, metavar="N"),)),
)
