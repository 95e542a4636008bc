"""Every `/aihc` command: each area declares its commands in its own `*_table` module."""

from __future__ import annotations

from bot.slack.commands.actions_table import ACTION_COMMANDS
from bot.slack.commands.admin_table import ADMIN_COMMANDS
from bot.slack.commands.digest_table import DIGEST_COMMANDS
from bot.slack.commands.grammar import Grammar
from bot.slack.commands.reads_table import READ_COMMANDS
from bot.slack.commands.watch_table import WATCH_COMMANDS

GRAMMAR = Grammar(
    (*READ_COMMANDS, *ACTION_COMMANDS, *ADMIN_COMMANDS, *WATCH_COMMANDS, *DIGEST_COMMANDS)
)
