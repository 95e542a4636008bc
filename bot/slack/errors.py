"""The one place errors become words: every layer's errors, for commands, buttons and forms.

An unexpected error is logged with its traceback under a short id, and the person sees the id.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from bot.aihc.errors import AihcApiError, AihcError, AihcTransportError
from bot.services.admin import Refused
from bot.services.errors import (
    Ambiguous,
    NoPoolKnown,
    NotFound,
    QueueNeeded,
    TooMany,
    Unavailable,
)
from bot.services.subscriptions import SubscriptionRefused
from bot.slack import render
from bot.slack.commands.grammar import ParseError, UnknownCommand, UsageError
from bot.slack.i18n import Lang, t
from bot.slack.render.actions import refusal_reply_blocks
from bot.slack.render.blocks import section
from bot.slack.render.fmt import msg
from bot.slack.replies import Block, Reply, reply

logger = logging.getLogger(__name__)


class BadValue(Exception):
    """A button, option or form value the bot did not make (stale, forged or cut)."""


@dataclass(frozen=True)
class Failure:
    """What to say about an error, and the outcome label the metrics count it under."""

    reply: Reply
    outcome: str


def error_reply(error: BaseException, *, lang: Lang, source: str = "command") -> Failure:
    """Turn any error into a short answer; an unexpected one is logged under an error id."""
    known = _known(error, lang)
    if known is not None:
        return Failure(reply(known[0]), known[1])
    error_id = uuid.uuid4().hex[:12]
    logger.error(
        "%s failed", source, exc_info=error, extra={"error_id": error_id, "source": source}
    )
    return Failure(reply(render.unexpected_error_blocks(error_id, lang=lang)), "error")


def _known(error: BaseException, lang: Lang) -> tuple[list[Block], str] | None:
    if isinstance(error, ParseError):
        return parse_failure_blocks(error, lang), "usage"
    if isinstance(error, BadValue):
        return render.notice_blocks(t(lang, "action.bad_value")), "bad_value"
    if isinstance(error, Refused):
        return refusal_reply_blocks(error, lang=lang), "refused"
    if isinstance(error, SubscriptionRefused):
        return subscription_refusal_blocks(error, lang), "refused"
    if isinstance(error, NoPoolKnown):
        return render.no_pool_blocks(lang=lang), "no_pool"
    if isinstance(error, TooMany):
        return render.notice_blocks(t(lang, "error.too_many", limit=error.limit)), "too_many"
    if isinstance(error, QueueNeeded):
        return render.notice_blocks(t(lang, "error.queue_needed", pool=error.pool)), "usage"
    if isinstance(error, Unavailable):
        # Operation names are command ids (`queue.create`): shown as typed, `queue create`.
        operation = error.operation.replace(".", " ")
        text = t(lang, "error.unavailable", operation=operation, version=error.version)
        return render.notice_blocks(text), "unavailable"
    if isinstance(error, NotFound):
        return render.not_found_blocks(error.kind, error.ref, lang=lang), "not_found"
    if isinstance(error, Ambiguous):
        prompt = render.ambiguous_prompt(error.kind, error.ref, lang=lang)
        return render.notice_blocks(prompt), "ambiguous"
    return _aihc(error, lang)


def _aihc(error: BaseException, lang: Lang) -> tuple[list[Block], str] | None:
    if isinstance(error, AihcApiError):
        code = error.code or str(error.status)
        blocks = render.aihc_error_blocks(code, error.message, error.request_id, lang=lang)
        return blocks, "aihc_error"
    if isinstance(error, AihcTransportError):
        return render.notice_blocks(t(lang, "aihc.unreachable")), "aihc_error"
    if isinstance(error, AihcError):
        return render.aihc_error_blocks("invalid", str(error), "", lang=lang), "aihc_error"
    return None


def parse_failure_blocks(error: ParseError, lang: Lang) -> list[Block]:
    """Say what is wrong with a command line: the closest command, or the usage."""
    if isinstance(error, UnknownCommand):
        return render.unknown_command_blocks(error.text, error.suggestion, lang=lang)
    if isinstance(error, UsageError):
        problem = t(lang, error.problem, **error.params)
        return render.usage_blocks(error.command, problem, lang=lang)
    return render.usage_blocks(None, t(lang, str(error) or "problem.quotes"), lang=lang)


def subscription_refusal_blocks(error: SubscriptionRefused, lang: Lang) -> list[Block]:
    """Explain a subscription refusal in words; the needed role is named."""
    decision = error.decision
    role = decision.needed.value if decision.needed else ""
    key = {
        "refused.owner_or_role": "watch.refused.owner_or_role",
        "refused.channel_pool": "watch.refused.channel_pool",
    }.get(decision.reason, "watch.refused.role")
    return [section(msg(lang, key, role=role, pool=decision.pool_id or ""))]
