"""What the card buttons and the forms share: reading payloads, and failures as answers."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from bot.aihc.errors import AihcApiError, AihcError, AihcNotFound
from bot.services.admin import Refused
from bot.services.errors import NotFound, ServiceError, TooMany
from bot.slack import render
from bot.slack.commands.context import CommandContext
from bot.slack.commands.grammar import ParseError
from bot.slack.i18n import t
from bot.slack.render.actions import refusal_reply_blocks
from bot.slack.replies import Block

logger = logging.getLogger(__name__)

MAX_VALUE = 2000
"""Slack's own limit on a button value; anything longer did not come from our card."""


class BadValue(Exception):
    """A button or option value that is not a JobKey the bot made."""


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


async def error_blocks(error: Exception, ctx: CommandContext) -> list[Block]:
    """Turn a failure into a short private answer; an unexpected one is logged under an id."""
    lang = ctx.lang
    if isinstance(error, BadValue | ParseError):
        return render.notice_blocks(t(lang, "action.bad_value"))
    if isinstance(error, Refused):
        return refusal_reply_blocks(error, lang=lang)
    if isinstance(error, NotFound):
        return render.not_found_blocks(error.kind, error.ref, lang=lang)
    if isinstance(error, TooMany):
        return render.notice_blocks(t(lang, "error.too_many", limit=error.limit))
    if isinstance(error, AihcNotFound):
        return render.not_found_blocks("job", "—", lang=lang)
    if isinstance(error, AihcApiError):
        code = error.code or str(error.status)
        return render.aihc_error_blocks(code, error.message, error.request_id, lang=lang)
    if isinstance(error, AihcError | ServiceError):
        return render.aihc_error_blocks("unreachable", t(lang, "aihc.unreachable"), "", lang=lang)
    error_id = uuid.uuid4().hex[:12]
    logger.error("card action failed", exc_info=error, extra={"error_id": error_id})
    return render.unexpected_error_blocks(error_id, lang=lang)
