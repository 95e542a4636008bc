"""Log tails: the last lines that fit one monospace block; the handler uploads longer logs."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.logtext import cap_line, last_state
from bot.slack.i18n import Lang
from bot.slack.render.blocks import context, preformatted, section
from bot.slack.render.fmt import msg
from bot.slack.render.limits import PREFORMATTED_MAX, Block, text_len
from bot.slack.render.text import bold, clean, escape

LINE_MAX = 1000
"""UTF-8 bytes of one line shown in a message (so at most as many UTF-16 units): one long line
(a tensor dump, a minified JSON) must not push every other line out."""


def full_view(line: str) -> str:
    """Return what a terminal shows of `line`: the last `\r` rewrite (tqdm bars), no colours."""
    return clean(last_state(line)).replace("\t", "    ")


def terminal_view(line: str) -> str:
    """Return `full_view` cut to `LINE_MAX`, saying `…(N more bytes)` when it was cut."""
    return cap_line(full_view(line), LINE_MAX)


def fit_tail(lines: Sequence[str]) -> list[str]:
    """Return the last lines, as shown, whose total fits one block, oldest first."""
    kept: list[str] = []
    size = 0
    for line in reversed(lines):
        shown = terminal_view(line)
        cost = text_len(shown) + (1 if kept else 0)
        if size + cost > PREFORMATTED_MAX:
            break
        kept.append(shown)
        size += cost
    kept.reverse()
    return kept


def logs_fit(lines: Sequence[str]) -> bool:
    """Say whether every line fits in one message, uncut; otherwise upload `logs_file_text`."""
    tail = fit_tail(lines)
    return len(tail) == len(lines) and all(
        shown == full_view(line) for shown, line in zip(tail, lines, strict=True)
    )


def logs_file_text(lines: Sequence[str]) -> str:
    """Return the whole log as a file's text, as a terminal would have shown it."""
    return "".join(full_view(line) + "\n" for line in lines)


def logs_blocks(
    title: str, lines: Sequence[str], *, lang: Lang, note: str | None = None
) -> list[Block]:
    """Render the last log lines that fit under a raw `title`, saying when some were cut.

    `note` is raw text said last, e.g. that fewer lines were fetched than were asked for.
    """
    blocks = [section(bold(title, 300))]
    said = [context(escape(note))] if note else []
    if not lines:
        return [*blocks, section(msg(lang, "logs.none")), *said]
    tail = fit_tail(lines)
    # A block of only blank lines is empty text to Slack: show them as a visible marker instead.
    body = "\n".join(tail)
    blocks.append(preformatted(body if body.strip() else "⏎" * len(tail)))
    if len(tail) < len(lines):
        blocks.append(context(msg(lang, "logs.cut", shown=len(tail), total=len(lines))))
    return [*blocks, *said]
