"""Run one command line: parse, call its handler, and turn every failure into a short answer."""

from __future__ import annotations

import logging
import time
import uuid

from bot.aihc.errors import AihcApiError, AihcError, AihcTransportError
from bot.services.admin import Refused
from bot.services.errors import Ambiguous, NoPoolKnown, NotFound, TooMany
from bot.slack import render
from bot.slack.commands.context import CommandContext, CommandRef, Handler
from bot.slack.commands.grammar import (
    Grammar,
    Invocation,
    ParseError,
    UnknownCommand,
    UsageError,
)
from bot.slack.i18n import t
from bot.slack.render.actions import refusal_reply_blocks
from bot.slack.replies import Reply

logger = logging.getLogger(__name__)


def _reply(blocks: list[render.Block]) -> Reply:
    return Reply(blocks=blocks, text=render.fallback_text(blocks))


class Dispatcher:
    """Map each command of a grammar to its handler."""

    def __init__(self, grammar: Grammar, handlers: dict[str, Handler]) -> None:
        missing = {c.id for c in grammar.commands} - set(handlers)
        if missing:
            raise ValueError(f"commands without a handler: {sorted(missing)}")
        self.grammar = grammar
        self._handlers = handlers

    async def run(self, ctx: CommandContext, text: str) -> tuple[Reply, bool]:
        """Answer a command line; return the reply and whether it is shared with the channel."""
        started = time.monotonic()
        try:
            invocation = self.grammar.parse(text)
        except ParseError as error:
            ctx.deps.metrics.observe_command("unparsed", "usage", time.monotonic() - started)
            return self._parse_failure(ctx, error), False
        command_id = invocation.command.id
        reply, outcome = await self._invoke(ctx, invocation)
        ctx.deps.metrics.observe_command(command_id, outcome, time.monotonic() - started)
        return reply, invocation.share

    async def _invoke(self, ctx: CommandContext, invocation: Invocation) -> tuple[Reply, str]:
        handler = self._handlers[invocation.command.id]
        try:
            return await handler(ctx, invocation), "ok"
        except UsageError as error:
            return self._parse_failure(ctx, error), "usage"
        except Refused as error:
            return _reply(refusal_reply_blocks(error, lang=ctx.lang)), "refused"
        except NoPoolKnown:
            return _reply(render.no_pool_blocks(lang=ctx.lang)), "no_pool"
        except TooMany as error:
            return _reply(
                render.notice_blocks(t(ctx.lang, "error.too_many", limit=error.limit))
            ), "too_many"
        except NotFound as error:
            return _reply(
                render.not_found_blocks(error.kind, error.ref, lang=ctx.lang)
            ), "not_found"
        except Ambiguous as error:
            return self._choices(ctx, invocation, error), "ambiguous"
        except AihcApiError as error:
            blocks = render.aihc_error_blocks(
                error.code or str(error.status), error.message, error.request_id, lang=ctx.lang
            )
            return _reply(blocks), "aihc_error"
        except AihcTransportError:
            return _reply(render.notice_blocks(t(ctx.lang, "aihc.unreachable"))), "aihc_error"
        except AihcError as error:
            blocks = render.aihc_error_blocks("invalid", str(error), "", lang=ctx.lang)
            return _reply(blocks), "aihc_error"
        except Exception:
            error_id = uuid.uuid4().hex[:12]
            logger.exception(
                "command failed", extra={"error_id": error_id, "command": invocation.command.id}
            )
            return _reply(render.unexpected_error_blocks(error_id, lang=ctx.lang)), "error"

    def _parse_failure(self, ctx: CommandContext, error: ParseError) -> Reply:
        if isinstance(error, UnknownCommand):
            blocks = render.unknown_command_blocks(error.text, error.suggestion, lang=ctx.lang)
            return _reply(blocks)
        if isinstance(error, UsageError):
            problem = t(ctx.lang, error.problem, **error.params)
            return _reply(render.usage_blocks(error.command, problem, lang=ctx.lang))
        problem = t(ctx.lang, str(error) or "problem.quotes")
        return _reply(render.usage_blocks(None, problem, lang=ctx.lang))

    @staticmethod
    def _choices(ctx: CommandContext, invocation: Invocation, error: Ambiguous) -> Reply:
        options = [
            (
                candidate.label,
                CommandRef(line=invocation.line(**{error.kind: candidate.id})).model_dump_json(),
            )
            for candidate in error.candidates[:20]
        ]
        prompt = render.ambiguous_prompt(error.kind, error.ref, lang=ctx.lang)
        return _reply(render.choice_blocks(prompt, options, lang=ctx.lang))
