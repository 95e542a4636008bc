"""Help, usage errors and unknown input: usage lines from the grammar, summaries from `help.*`."""

from __future__ import annotations

from collections.abc import Sequence

from bot.slack.commands.grammar import Command
from bot.slack.i18n import Lang, t
from bot.slack.render.blocks import context, section
from bot.slack.render.fmt import msg
from bot.slack.render.limits import Block
from bot.slack.render.text import code, escape

SLASH_COMMAND = "/aihc"


def usage_line(command: Command) -> str:
    """Return a command's usage line as typed, e.g. `/aihc pool show <pool>`."""
    return f"{SLASH_COMMAND} {command.usage}"


def _command_line(command: Command, *, lang: Lang) -> str:
    line = f"{code(usage_line(command), 300)} — {escape(t(lang, f'help.{command.id}'))}"
    if command.short_forms:
        shorts = ", ".join(f"{SLASH_COMMAND} {short}" for short in command.short_forms)
        line += " " + msg(lang, "help_page.short", short=shorts)
    return line


def help_blocks(
    commands: Sequence[Command], *, lang: Lang, command: Command | None = None
) -> list[Block]:
    """Render every command grouped by area, or one command's usage and summary."""
    if command is not None:
        return [
            section(_command_line(command, lang=lang)),
            context(msg(lang, "help_page.share")),
        ]
    blocks = [section(msg(lang, "help_page.title", command=SLASH_COMMAND))]
    groups: dict[str, list[Command]] = {}
    for each in commands:
        groups.setdefault(each.group, []).append(each)
    for group, members in groups.items():
        lines = [f"*{escape(t(lang, f'help_page.group.{group}'))}*"]
        lines.extend("• " + _command_line(member, lang=lang) for member in members)
        blocks.append(section("\n".join(lines)))
    blocks.append(
        context(msg(lang, "help_page.share"), msg(lang, "help_page.one", command=SLASH_COMMAND))
    )
    return blocks


def usage_blocks(command: Command | None, problem: str, *, lang: Lang) -> list[Block]:
    """Render a raw `problem` with the usage of the command it concerns."""
    blocks = [section(f":warning: {escape(problem)}")]
    if command is not None:
        usage = msg(lang, "help_page.usage", usage=usage_line(command))
        blocks.append(section(f"{usage}\n{escape(t(lang, f'help.{command.id}'))}"))
    blocks.append(context(msg(lang, "unknown.help", command=f"{SLASH_COMMAND} help")))
    return blocks


def unknown_command_blocks(text: str, suggestion: Command | None, *, lang: Lang) -> list[Block]:
    """Render "did you mean …" with the suggested command's usage, or point to help."""
    blocks = [section(":thinking_face: " + msg(lang, "unknown.text", text=text[:200]))]
    if suggestion is not None:
        suggest = msg(lang, "unknown.suggest", command=usage_line(suggestion))
        blocks.append(section(f"{suggest}\n{escape(t(lang, f'help.{suggestion.id}'))}"))
    blocks.append(context(msg(lang, "unknown.help", command=f"{SLASH_COMMAND} help")))
    return blocks
