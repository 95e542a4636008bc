"""Help, usage errors and unknown input, from the catalogue's `help.*` and `usage.*` lines."""

from __future__ import annotations

from bot.slack.i18n import Lang, t
from bot.slack.render.blocks import context, section
from bot.slack.render.fmt import msg
from bot.slack.render.limits import Block
from bot.slack.render.text import code, escape

SLASH_COMMAND = "/aihc"

COMMAND_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("help_page.group.pools", ("pool.list", "pool.show", "pool.nodes")),
    ("help_page.group.queues", ("queue.list", "queue.show")),
    (
        "help_page.group.jobs",
        ("job.list", "job.show", "job.events", "job.logs", "job.metrics", "job.nodes"),
    ),
    ("help_page.group.other", ("help",)),
)
"""Every command id the grammar declares, grouped as help shows them."""

COMMAND_IDS: tuple[str, ...] = tuple(cid for _, ids in COMMAND_GROUPS for cid in ids)

SHORT_FORMS: dict[str, str] = {
    "pool.list": "pools",
    "pool.nodes": "nodes",
    "queue.list": "queues",
    "job.list": "jobs",
    "job.show": "job <job>",
    "job.events": "events",
    "job.logs": "logs",
    "job.metrics": "metrics",
}


def resolve_command(name: str) -> str | None:
    """Return the id for `job.logs`, `job logs` or a short form like `logs`; None if unknown."""
    text = " ".join(name.strip().lower().split())
    dotted = text.replace(" ", ".")
    if dotted in COMMAND_IDS:
        return dotted
    for cid, short in SHORT_FORMS.items():
        if text == short.split(" ")[0] and (cid != "job.show" or text != "job"):
            return cid
    return None


def usage_line(command: str, *, lang: Lang) -> str:
    """Return a command's raw usage line, e.g. `/aihc pool show <pool>`."""
    return f"{SLASH_COMMAND} {t(lang, f'usage.{command}')}"


def _command_line(command: str, *, lang: Lang) -> str:
    line = f"{code(usage_line(command, lang=lang), 300)} — {escape(t(lang, f'help.{command}'))}"
    short = SHORT_FORMS.get(command)
    if short:
        line += " " + msg(lang, "help_page.short", short=f"{SLASH_COMMAND} {short}")
    return line


def help_blocks(*, lang: Lang, command: str | None = None) -> list[Block]:
    """Render every command grouped by area, or one command's usage and summary."""
    cid = resolve_command(command) if command else None
    if cid is not None:
        return [
            section(_command_line(cid, lang=lang)),
            context(msg(lang, "help_page.share")),
        ]
    blocks = [section(msg(lang, "help_page.title", command=SLASH_COMMAND))]
    for group, ids in COMMAND_GROUPS:
        lines = [f"*{escape(t(lang, group))}*"]
        lines.extend("• " + _command_line(cid, lang=lang) for cid in ids)
        blocks.append(section("\n".join(lines)))
    blocks.append(
        context(msg(lang, "help_page.share"), msg(lang, "help_page.one", command=SLASH_COMMAND))
    )
    return blocks


def usage_blocks(command_id: str, problem: str, *, lang: Lang) -> list[Block]:
    """Render a raw `problem` with the usage of the command it concerns."""
    blocks = [section(f":warning: {escape(problem)}")]
    known = resolve_command(command_id)
    if known is not None:
        usage = msg(lang, "help_page.usage", usage=usage_line(known, lang=lang))
        blocks.append(section(f"{usage}\n{escape(t(lang, f'help.{known}'))}"))
    blocks.append(context(msg(lang, "unknown.help", command=f"{SLASH_COMMAND} help")))
    return blocks


def unknown_command_blocks(text: str, suggestion: str | None, *, lang: Lang) -> list[Block]:
    """Render "did you mean …" with the suggested command's usage, or point to help."""
    blocks = [section(":thinking_face: " + msg(lang, "unknown.text", text=text[:200]))]
    cid = resolve_command(suggestion) if suggestion else None
    if cid is not None:
        suggest = msg(lang, "unknown.suggest", command=usage_line(cid, lang=lang))
        blocks.append(section(f"{suggest}\n{escape(t(lang, f'help.{cid}'))}"))
    elif suggestion:
        blocks.append(
            section(msg(lang, "unknown.suggest", command=f"{SLASH_COMMAND} {suggestion[:200]}"))
        )
    blocks.append(context(msg(lang, "unknown.help", command=f"{SLASH_COMMAND} help")))
    return blocks
