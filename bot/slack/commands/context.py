"""The context a command handler runs in, and the signature every handler has."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain import Job, Pool
from bot.services.actor import Actor
from bot.slack.commands.grammar import Invocation
from bot.slack.deps import SlackDeps
from bot.slack.i18n import Lang
from bot.slack.replies import Reply

MAX_LINE = 1500


class CommandRef(BaseModel):
    """A button's value: a command line to run again, where a list continues, and (for a
    "which one?" choice) the only person the button acts for."""

    model_config = ConfigDict(frozen=True)

    line: str = Field(max_length=MAX_LINE)
    offset: int = Field(default=0, ge=0, le=1_000_000)
    user: str = Field(default="", max_length=32)


@dataclass(frozen=True)
class CommandContext:
    """Who runs a command, in which language, at what time, from which list position; and what
    a form needs to open (Slack's client and the request's short-lived trigger id)."""

    deps: SlackDeps
    actor: Actor
    lang: Lang
    now: datetime
    offset: int = 0
    trigger_id: str = ""
    client: AsyncWebClient | None = None


Handler = Callable[[CommandContext, Invocation], Awaitable[Reply]]


async def job_of(ctx: CommandContext, inv: Invocation) -> tuple[Pool, Job]:
    """Resolve the pool and the job a command names (`--queue` reaches a managed pool's job)."""
    pool = await ctx.deps.reads.pool_for(ctx.actor, inv.get("pool"))
    return pool, await ctx.deps.reads.job(pool, inv.get("job"), queue=inv.get("queue"))
