"""Declare commands once; the declaration gives parsing, usage lines, help and suggestions."""

from __future__ import annotations

import difflib
import re
import shlex
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

Converter = Callable[[str], Any]
"""Turn an argument's text into its value, raising `ValueError(problem_key)` when it is bad."""

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'"})
_SLACK_ESCAPES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))
_SIGILS = "@#!"
_BLANKS = " \t\r\n"
"""What separates words, as `shlex` sees it."""
# A run of plain word characters: matched from a position, never retried, so linear.
_PLAIN = re.compile(r"[^ \t\r\n'\"\\]+")
_IN_DOUBLE = re.compile(r'[^"\\]+')
_WORD = re.compile(r"[^ \t\r\n]+")
SUGGEST_WORD = 32
"""Characters of a typed word compared when suggesting: longer than any command's word."""
SHARE_FLAG = "share"


class ParamKind(Enum):
    """How an argument is written."""

    POSITIONAL = "positional"
    OPTION = "option"
    """`--name value` or `--name=value`."""
    FLAG = "flag"
    """`--name`, no value."""


@dataclass(frozen=True)
class Param:
    """One argument of a command."""

    name: str
    kind: ParamKind = ParamKind.POSITIONAL
    required: bool = False
    convert: Converter = str
    metavar: str = ""

    @property
    def usage(self) -> str:
        """Render the argument as it appears in a usage line."""
        meta = f"<{self.metavar or self.name}>"
        text = {
            ParamKind.POSITIONAL: meta,
            ParamKind.OPTION: f"--{self.name} {meta}",
            ParamKind.FLAG: f"--{self.name}",
        }[self.kind]
        return text if self.required else f"[{text}]"


@dataclass(frozen=True)
class Command:
    """A command: its id (also its catalogue key), its words, short forms and arguments."""

    id: str
    words: tuple[str, ...]
    params: tuple[Param, ...] = ()
    aliases: tuple[tuple[str, ...], ...] = ()
    rest: bool = False
    """The last positional swallows the remaining words (e.g. `help job logs`)."""
    verbatim: bool = False
    """A last positional that starts with `{` takes the rest of the line as typed (JSON)."""
    form: str = ""
    """The form (a `CallbackId`) the command opens when given no optional argument but --pool."""
    private: bool = False
    """The answer goes to the asker alone, whatever `--share` says (it holds a credential)."""
    confirm: str = ""
    """A write command: the `confirm.<kind>` dialog a "which one?" choice asks first."""
    button: str = ""
    """The job card button (an `ActionId`) that runs this command on the card's job."""
    button_flags: tuple[str, ...] = ()
    """The flags the card button sets (the Chart button is `job metrics --chart`)."""

    @property
    def usage(self) -> str:
        """Render the usage line, e.g. `job logs <job> [--pod <pod>] [--tail <N>]`."""
        return " ".join([*self.words, *(p.usage for p in self.params)])

    @property
    def spellings(self) -> tuple[tuple[str, ...], ...]:
        """Return every way to name the command, long form first."""
        return (self.words, *self.aliases)

    @property
    def group(self) -> str:
        """Return the area help lists the command under: its id's first part."""
        return self.id.split(".")[0]

    @property
    def short_forms(self) -> tuple[str, ...]:
        """Render the short forms with their required arguments, e.g. `job <job>`."""
        required = [p.usage for p in self.params if p.required and p.kind is ParamKind.POSITIONAL]
        return tuple(" ".join([*alias, *required]) for alias in self.aliases)


@dataclass(frozen=True)
class Invocation:
    """A parsed command line: converted values in `args`, the text as typed in `raw`."""

    command: Command
    args: Mapping[str, Any]
    share: bool = False
    raw: Mapping[str, str] = field(default_factory=dict)

    def get(self, name: str, default: Any = None) -> Any:
        """Return an argument's value, or `default` when it was not given."""
        return self.args.get(name, default)

    @property
    def wants_form(self) -> bool:
        """Say whether this asks for the command's form: no optional argument but --pool."""
        required = {p.name for p in self.command.params if p.required}
        return bool(self.command.form) and set(self.args) <= required | {"pool"}

    def line(self, **overrides: str) -> str:
        """Write the command line back out, with some arguments replaced (e.g. a name by an id)."""
        raw = {**self.raw, **overrides}
        parts = list(self.command.words)
        for param in self.command.params:
            if param.name not in raw:
                continue
            if param.kind is ParamKind.POSITIONAL:
                parts.append(shlex.quote(raw[param.name]))
            elif param.kind is ParamKind.FLAG:
                parts.append(f"--{param.name}")
            else:
                parts.append(f"--{param.name}={shlex.quote(raw[param.name])}")
        if self.share:
            parts.append(f"--{SHARE_FLAG}")
        return " ".join(parts)


Offered = Callable[[Command], bool]
"""Say whether a command is offered where it is asked for (the AIHC API may lack it)."""


def everything(command: Command) -> bool:
    """Offer every command."""
    return True


class ParseError(Exception):
    """The command line could not be parsed."""


@dataclass
class UsageError(ParseError):
    """A known command with wrong arguments; `problem` is a catalogue key, `params` its values."""

    command: Command
    problem: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass
class UnknownCommand(ParseError):
    """Nothing matches; `suggestion` is the closest command, if any is close."""

    text: str
    suggestion: Command | None


def normalise(text: str) -> str:
    """Undo Slack's escaping and link markup, and straighten typographic quotes.

    Slack wraps mentions and links: `<@U1|name>` and `<#C1|general>` keep their id (`<@U1>`),
    `<mailto:a@b|a@b>` and `<http://x|x>` become their label (or the address when it has none).
    One pass, each character looked at a bounded number of times, whatever the text holds.
    """
    for escaped, plain in _SLACK_ESCAPES:
        text = text.replace(escaped, plain)
    text = text.translate(_QUOTES)
    out: list[str] = []
    start = 0
    close = -1
    opening = text.find("<")
    while opening >= 0:
        if close < opening:
            close = text.find(">", opening + 1)
            if close < 0:
                break  # no `>` follows: no later `<` can close either
        if not _is_markup(text, opening, close):
            # Only O(1) is spent here: the text up to `close` is not copied for a `<` skipped.
            opening = text.find("<", opening + 1)
            continue
        out.append(text[start:opening])
        out.append(_unwrap(text[opening + 1 : close]))
        start = close + 1
        opening = text.find("<", start)
    out.append(text[start:])
    return "".join(out).strip()


def _is_markup(text: str, opening: int, close: int) -> bool:
    """Say whether `text[opening:close + 1]` is Slack markup: a target before any `|`."""
    first = opening + 1
    if first == close or text[first] == "|":
        return False
    # A mention or channel needs an id after its sigil.
    return text[first] not in _SIGILS or (first + 1 < close and text[first + 1] != "|")


def _unwrap(inner: str) -> str:
    """Return what Slack markup `<inner>` stands for: a mention's id, a link's label or address."""
    target, bar, label = inner.partition("|")
    if target[0] in _SIGILS:
        return f"<{target}>"
    return label if bar and label else target


def tokenize(text: str) -> list[str]:
    """Split a command line like a POSIX shell would; raise ParseError on an unclosed quote."""
    if not any(mark in text for mark in "'\"\\"):
        return _WORD.findall(text)
    tokens: list[str] = []
    index, end = 0, len(text)
    while index < end:
        if text[index] in _BLANKS:
            index += 1
            continue
        parts: list[str] = []
        while index < end and text[index] not in _BLANKS:
            index = _token_part(text, index, parts)
        tokens.append("".join(parts))
    return tokens


def _token_part(text: str, index: int, parts: list[str]) -> int:
    """Append the token piece starting at `index` to `parts`; return where the next one starts."""
    char = text[index]
    if char == "'":
        close = text.find("'", index + 1)
        if close < 0:
            raise ParseError("problem.quotes")
        parts.append(text[index + 1 : close])
        return close + 1
    if char == '"':
        return _double_quoted(text, index + 1, parts)
    if char == "\\":
        if index + 1 >= len(text):
            raise ParseError("problem.quotes")
        parts.append(text[index + 1])
        return index + 2
    plain = _PLAIN.match(text, index)
    # `char` is neither blank, quote nor backslash, so the run holds at least it.
    end = plain.end() if plain else index + 1
    parts.append(text[index:end])
    return end


def _double_quoted(text: str, index: int, parts: list[str]) -> int:
    """Read a double-quoted piece from after its `"`; only `\\"` and `\\\\` are escapes in it."""
    while index < len(text):
        run = _IN_DOUBLE.match(text, index)
        if run is not None:
            parts.append(run.group())
            index = run.end()
            continue
        if text[index] == '"':
            parts.append("")  # `""` is an empty word, not none
            return index + 1
        if index + 1 >= len(text):
            break
        escaped = text[index + 1]
        parts.append(escaped if escaped in '"\\' else "\\" + escaped)
        index += 2
    raise ParseError("problem.quotes")


class Grammar:
    """A table of commands: longest match first, short forms, closest-match suggestions."""

    def __init__(self, commands: Sequence[Command]) -> None:
        self.commands = tuple(commands)
        self._by_id = {command.id: command for command in commands}
        spellings = [(s, c) for c in commands for s in c.spellings]
        self._spellings = sorted(spellings, key=lambda pair: -len(pair[0]))
        self._longest = max((len(s) for s, _ in spellings), default=0)

    def get(self, command_id: str) -> Command:
        """Return the command with this id."""
        return self._by_id[command_id]

    def find(self, words: Sequence[str]) -> tuple[Command, int] | None:
        """Return the command whose spelling starts `words` (longest wins) and its length."""
        lowered = [word.lower() for word in words[: self._longest]]
        for spelling, command in self._spellings:
            if tuple(lowered[: len(spelling)]) == spelling:
                return command, len(spelling)
        return None

    def suggest(self, words: Sequence[str], *, offered: Offered = everything) -> Command | None:
        """Return the offered command whose spelling is closest to the first words, if close."""
        # Only the first two words, each cut short, are compared: difflib is quadratic.
        first = [word[:SUGGEST_WORD].lower() for word in words[:2]]
        phrases = {" ".join(s): c for s, c in self._spellings if offered(c)}
        close = difflib.get_close_matches(" ".join(first), list(phrases), n=1, cutoff=0.6)
        if not close and first:
            close = difflib.get_close_matches(first[0], list(phrases), n=1, cutoff=0.6)
        return phrases[close[0]] if close else None

    def parse(
        self, text: str, *, default: str = "help", offered: Offered = everything
    ) -> Invocation:
        """Parse a command line; an empty one runs `default`; only `offered` ones are suggested."""
        line = normalise(text)
        verbatim = self._verbatim(line)
        if verbatim is not None:
            return verbatim
        tokens = tokenize(line)
        if not tokens:
            return Invocation(self.get(default), {})
        found = self.find(tokens)
        if found is None:
            raise UnknownCommand(text=text, suggestion=self.suggest(tokens, offered=offered))
        command, length = found
        raw: dict[str, str] = {}
        args, share = _bind(command, tokens[length:], raw)
        return Invocation(command, args, share=share, raw=raw)

    def _verbatim(self, line: str) -> Invocation | None:
        """Bind a JSON document after a verbatim command's words, untouched by shell quoting."""
        found = self.find(line.split(maxsplit=3)[:3])
        if found is None or not found[0].verbatim:
            return None
        command, length = found
        parts = line.split(maxsplit=length)
        rest = parts[length] if len(parts) > length else ""
        positionals = [p for p in command.params if p.kind is ParamKind.POSITIONAL]
        if not rest.startswith("{") or not positionals:
            return None
        name = positionals[-1].name
        return Invocation(command, {name: rest}, raw={name: rest})


def _bind(
    command: Command, tokens: Sequence[str], raw: dict[str, str]
) -> tuple[dict[str, Any], bool]:
    """Match the tokens after the command words to its parameters."""
    named = {p.name: p for p in command.params if p.kind is not ParamKind.POSITIONAL}
    positionals = [p for p in command.params if p.kind is ParamKind.POSITIONAL]
    args: dict[str, Any] = {}
    loose: list[str] = []
    share = False
    index = 0
    while index < len(tokens):
        word = tokens[index]
        index += 1
        if not word.startswith("--") or word == "--":
            loose.append(word)
            continue
        name, has_value, value = word[2:].partition("=")
        name = name.lower()
        if name == SHARE_FLAG:
            share = True
            continue
        param = named.get(name)
        if param is None:
            options = ", ".join(f"--{n}" for n in [*named, SHARE_FLAG])
            raise UsageError(
                command, "problem.unknown_option", {"option": word, "options": options}
            )
        if param.kind is ParamKind.FLAG:
            args[name] = True
            raw[name] = ""
            continue
        if not has_value:
            if index >= len(tokens) or tokens[index].startswith("--"):
                raise UsageError(command, "problem.needs_value", {"option": f"--{name}"})
            value = tokens[index]
            index += 1
        args[name] = _convert(command, param, value)
        raw[name] = value
    _bind_positionals(command, positionals, loose, args, raw)
    for param in command.params:
        if param.required and param.name not in args:
            raise UsageError(command, "problem.missing", {"name": param.usage.strip("[]")})
    return args, share


def _bind_positionals(
    command: Command,
    positionals: Sequence[Param],
    loose: list[str],
    args: dict[str, Any],
    raw: dict[str, str],
) -> None:
    if command.rest and positionals and loose:
        fixed = len(positionals) - 1
        loose = [*loose[:fixed], " ".join(loose[fixed:])]
    if len(loose) > len(positionals):
        raise UsageError(command, "problem.extra", {"value": loose[len(positionals)]})
    for param, value in zip(positionals, loose, strict=False):
        args[param.name] = _convert(command, param, value)
        raw[param.name] = value


def _convert(command: Command, param: Param, value: str) -> Any:
    try:
        return param.convert(value)
    except ValueError as error:
        key = str(error) if str(error).startswith("problem.") else "problem.bad_value"
        raise UsageError(
            command, key, {"option": param.usage.strip("[]"), "value": value}
        ) from None
