"""Parameters many commands share, declared once."""

from __future__ import annotations

from bot.slack.commands import converters
from bot.slack.commands.grammar import Param, ParamKind

POOL = Param("pool", ParamKind.OPTION, convert=converters.name)
"""`--pool`: a pool by id or name; without it, the channel's or the bot's default."""

JOB_QUEUE = Param("queue", ParamKind.OPTION, convert=converters.name)
"""`--queue` on a command about one job: in a managed pool (`aihc-serverless`, `aihc-bhcmp`)
AIHC reaches a job only through its queue; elsewhere it narrows a search by name."""
