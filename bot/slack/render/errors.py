"""Errors, notices and "which one did you mean?" choices."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from bot.slack.i18n import Lang, t
from bot.slack.ids import ActionId
from bot.slack.render.blocks import actions, button, context, section
from bot.slack.render.fmt import msg
from bot.slack.render.limits import ACTIONS_MAX_ELEMENTS, BUTTON_VALUE_MAX, Block, text_len
from bot.slack.render.text import escape, one_line

Kind = Literal["pool", "queue", "job", "pod"]

MAX_CHOICES = 50
"""Buttons offered at most; past that people are better served by naming the id."""


def aihc_error_blocks(code: str, message: str, request_id: str, *, lang: Lang) -> list[Block]:
    """Render an AIHC refusal with its code and request id, for support tickets."""
    return [
        section(":x: " + msg(lang, "error.aihc", message=message or code or "—")),
        context(msg(lang, "error.aihc_ids", code=code or "—", request_id=request_id or "—")),
    ]


def unexpected_error_blocks(error_id: str, *, lang: Lang) -> list[Block]:
    """Render a bug report line holding the error id the log files the traceback under."""
    return [section(":boom: " + msg(lang, "error.unexpected", error_id=error_id))]


def no_pool_blocks(*, lang: Lang) -> list[Block]:
    """Explain that no resource pool is known and the three ways to name one."""
    return [section(":thinking_face: " + msg(lang, "error.no_pool"))]


def not_found_blocks(kind: Kind, ref: str, *, lang: Lang) -> list[Block]:
    """Render "no such pool/queue/job/pod"."""
    return [section(":mag: " + msg(lang, "error.not_found", kind=t(lang, f"kind.{kind}"), ref=ref))]


def ambiguous_prompt(kind: Kind, ref: str, *, lang: Lang) -> str:
    """Return the raw prompt asking which of several matches of `ref` was meant."""
    return t(lang, "choice.ambiguous", kind=t(lang, f"kind.{kind}"), ref=one_line(ref)[:200])


def notice_blocks(text: str) -> list[Block]:
    """Render a raw one-off notice; its catalogue formatting (`*bold*`, code) survives escaping."""
    return [section(escape(text))]


def choice_action_id(index: int) -> str:
    """Return the action id of choice button `index`: `aihc.choose:<index>`, unique per message."""
    return f"{ActionId.CHOOSE.value}:{index}"


Choice = tuple[str, str, Block | None]
"""A choice button: its raw label, its value, and the confirm dialog it asks first (if any)."""


def choice_blocks(prompt: str, options: Sequence[Choice], *, lang: Lang) -> list[Block]:
    """Render a raw prompt and one button per (label, value, confirm) option, at most 50."""
    usable = [option for option in options if text_len(option[1]) <= BUTTON_VALUE_MAX]
    buttons = []
    for i, (label, value, confirm) in enumerate(usable[:MAX_CHOICES]):
        element = button(label, action_id=choice_action_id(i), value=value)
        if confirm is not None:
            element["confirm"] = confirm
        buttons.append(element)
    blocks = [section(escape(prompt))]
    for start in range(0, len(buttons), ACTIONS_MAX_ELEMENTS):
        blocks.append(actions(buttons[start : start + ACTIONS_MAX_ELEMENTS]))
    hidden = len(options) - len(buttons)
    if hidden:
        blocks.append(context(msg(lang, "choice.more", count=hidden)))
    return blocks
