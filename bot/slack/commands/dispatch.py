"""Run one command: parse, pick its handler (or its form's), and turn any failure into words.

The grammar table is the only router: commands typed, buttons that re-run a command line and
card buttons that name a command by id all come through here.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.domain import ApiVersion, offers
from bot.services.errors import Ambiguous, Unavailable, require_offered
from bot.slack import render
from bot.slack.commands.context import CommandContext, CommandRef, Handler
from bot.slack.commands.grammar import Command, Grammar, Invocation, Offered, ParseError, UsageError
from bot.slack.errors import error_reply
from bot.slack.render.actions import confirm_dialog
from bot.slack.replies import Reply, reply


def offered_in(version: ApiVersion) -> Offered:
    """Return the test of whether AIHC API `version` offers a command (ids name operations)."""
    return lambda command: offers(version, command.id)


def _always_form(command: Command) -> bool:
    optional = {p.name for p in command.params if not p.required}
    return bool(command.form) and optional <= {"pool"}


@dataclass(frozen=True)
class Answer:
    """A command's answer, whether it is shared with the channel, and how it went."""

    reply: Reply
    share: bool
    outcome: str


class Dispatcher:
    """Map each command of a grammar (and each form a command opens) to its handler."""

    def __init__(self, grammar: Grammar, handlers: Mapping[str, Handler]) -> None:
        # A command whose arguments are all required (or --pool) always opens its form: the
        # form's handler is all it needs.
        missing = {c.form for c in grammar.commands if c.form} - set(handlers)
        missing |= {c.id for c in grammar.commands if not _always_form(c)} - set(handlers)
        if missing:
            raise ValueError(f"commands without a handler: {sorted(missing)}")
        self.grammar = grammar
        self._handlers = dict(handlers)

    async def run(self, ctx: CommandContext, text: str) -> tuple[Reply, bool]:
        """Answer a command line; return the reply and whether it is shared with the channel."""
        answer = await self.answer(ctx, text)
        return answer.reply, answer.share

    async def answer(self, ctx: CommandContext, text: str) -> Answer:
        """Answer a command line."""
        started = time.monotonic()
        version = ctx.deps.api_version
        try:
            invocation = self.grammar.parse(text, offered=offered_in(version))
        except ParseError as error:
            shown: Exception = error
            if isinstance(error, UsageError) and not offers(version, error.command.id):
                # How to spell a command this API lacks is no help: say that it lacks it.
                shown = Unavailable(error.command.id, version.value)
            failure = error_reply(shown, lang=ctx.lang)
            ctx.deps.metrics.observe_command("unparsed", "usage", time.monotonic() - started)
            return Answer(failure.reply, False, failure.outcome)
        return await self._invoke(ctx, invocation, started)

    async def invoke(self, ctx: CommandContext, command_id: str, args: Mapping[str, Any]) -> Answer:
        """Run a command named by id with arguments already converted (a card button's)."""
        raw = {name: str(getattr(value, "value", value)) for name, value in args.items()}
        invocation = Invocation(self.grammar.get(command_id), dict(args), raw=raw)
        return await self._invoke(ctx, invocation, time.monotonic())

    async def _invoke(self, ctx: CommandContext, invocation: Invocation, started: float) -> Answer:
        command = invocation.command
        handler = self._handlers[command.form if invocation.wants_form else command.id]

        share = invocation.share and not command.private
        try:
            # Refused before any AIHC read or form: the API this bot speaks has no such action.
            require_offered(ctx.deps.api_version, command.id)
            answer = Answer(await handler(ctx, invocation), share, "ok")
        except Ambiguous as error:
            # Choices go to the asker alone, whatever --share says: they act for the asker.
            answer = Answer(self._choices(ctx, invocation, error), False, "ambiguous")
        except Exception as error:  # every failure is answered, privately
            failure = error_reply(error, lang=ctx.lang)
            answer = Answer(failure.reply, False, failure.outcome)
        ctx.deps.metrics.observe_command(command.id, answer.outcome, time.monotonic() - started)
        return answer

    @staticmethod
    def _choices(ctx: CommandContext, invocation: Invocation, error: Ambiguous) -> Reply:
        kind = invocation.command.confirm
        options = [
            (
                candidate.label,
                CommandRef(
                    line=invocation.line(**{error.kind: candidate.id}), user=ctx.actor.user_id
                ).model_dump_json(),
                confirm_dialog(ctx.lang, kind, candidate.label) if kind else None,
            )
            for candidate in error.candidates[:20]
        ]
        prompt = render.ambiguous_prompt(error.kind, error.ref, lang=ctx.lang)
        return reply(render.choice_blocks(prompt, options, lang=ctx.lang))
