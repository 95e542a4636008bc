"""Hostile slash-command texts and values, from one seed.

Texts start from the grammar's own usage lines, filled with names the simulator knows, then
mutated; some are huge (40,000 characters), mention-heavy, `<`/`&lt;`-heavy, or full of
unicode, NULs and unbalanced quotes. Values are valid references, mutated ones, huge, not JSON.
"""

from __future__ import annotations

import json
import random
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.slack.commands.table import GRAMMAR

HUGE = 40_000
# A usage line's pieces: an optional group `[...]`, a placeholder `<...>`, or a word.
_PIECE = re.compile(r"\[[^\]]*\]|<[^>]*>|\S+")
_PLACEHOLDER = re.compile(r"<([^>]*)>")
_ODD = [
    "\x00", "\u202e", "\u200b", "\u00a0", "\u3000", "\ufeff", "\U0001f680", "\u05e9\u05dc\u05d5",
    "مرحبا", "训练任务", "ジョブ", "\ud7ff", "\r\n", "\t", "\\", "`", "*", "_", "~",
]  # fmt: skip
_QUOTES = ['"', "'", "“", "”", "‘", "’", "„"]
FORM_FIELDS = [
    "name", "image", "command", "replicas", "gpu_type", "gpus", "cpu", "memory", "queue",
    "priority", "pfs", "mount", "envs", "labels", "options", "hang_minutes", "strategy",
    "deserved_gpu", "guarantee_cpu", "capability_memory", "description", "parent",
]  # fmt: skip


@dataclass(frozen=True)
class Names:
    """What the simulator's world calls things, so that some input reaches deep paths."""

    pools: list[str]
    pool_ids: list[str]
    queues: list[str]
    jobs: list[str]
    job_ids: list[str]
    users: list[str]


class TextMaker:
    """Make command texts and values from one seed; the same seed makes the same ones."""

    def __init__(self, seed: int, names: Names) -> None:
        self.rng = random.Random(seed)
        self.names = names
        self._usages = [c.usage for c in GRAMMAR.commands]

    # Slash-command texts.

    def text(self) -> str:
        """Return a command text: grammar-aware and mutated, or one of the hostile shapes."""
        makers: list[tuple[float, Callable[[], str]]] = [
            (0.55, self.mutated),
            (0.15, self.command),
            (0.06, self.huge),
            (0.06, self.mentions),
            (0.06, self.brackets),
            (0.06, self.noise),
            (0.06, self.quotes),
        ]
        roll = self.rng.random()
        for weight, maker in makers:
            if roll < weight:
                return maker()
            roll -= weight
        return self.command()

    def command(self) -> str:
        """Return a well-formed command from a usage line, with known or random names."""
        words: list[str] = []
        for piece in _PIECE.findall(self.rng.choice(self._usages)):
            if piece.startswith("["):
                if self.rng.random() < 0.5:
                    words.append(_PLACEHOLDER.sub(self._fill, piece[1:-1]))
            else:
                words.append(_PLACEHOLDER.sub(self._fill, piece))
        if self.rng.random() < 0.2:
            words.append("--share")
        return " ".join(words)

    def _fill(self, match: re.Match[str]) -> str:
        hole = match.group(1)
        if "|" in hole and self.rng.random() < 0.8:
            return self.rng.choice(hole.split("|"))
        fills: dict[str, Callable[[], str]] = {
            "pool": lambda: self.rng.choice(self.names.pools + self.names.pool_ids),
            "queue": lambda: self.rng.choice(self.names.queues),
            "job": lambda: self.rng.choice(self.names.jobs + self.names.job_ids),
            "@user": lambda: f"<@{self.rng.choice(self.names.users)}|someone>",
            "N": lambda: str(self.rng.choice([0, -1, 1, 50, 10_000, 10**30])),
            "JSON spec": self.json_text,
        }
        fill = fills.get(hole)
        if fill is not None and self.rng.random() < 0.8:
            return fill()
        return self.word()

    def mutated(self) -> str:
        """Return a command with one to four edits: characters, tokens, quotes, flags."""
        text = self.command()
        for _ in range(self.rng.randint(1, 4)):
            text = self.rng.choice(self._edits)(text)
        return text

    @property
    def _edits(self) -> list[Callable[[str], str]]:
        return [self._insert, self._delete, self._duplicate, self._swap, self._flag, self._case]

    def _at(self, text: str) -> int:
        return self.rng.randint(0, len(text))

    def _insert(self, text: str) -> str:
        at = self._at(text)
        extra = self.rng.choice([*_ODD, *_QUOTES, "<", ">", "&lt;", "&amp;", "|", "=", "--"])
        return text[:at] + extra + text[at:]

    def _delete(self, text: str) -> str:
        at = self._at(text)
        return text[:at] + text[at + self.rng.randint(1, 8) :]

    def _duplicate(self, text: str) -> str:
        at = self._at(text)
        span = text[at : at + self.rng.randint(1, 30)]
        return text[:at] + span * self.rng.randint(2, 50) + text[at:]

    def _swap(self, text: str) -> str:
        words = text.split(" ")
        self.rng.shuffle(words)
        return " ".join(words)

    def _flag(self, text: str) -> str:
        flags = ["--pool", "--pod", "--tail", "--since", "--on", "--mention", "--mine", "--share",
                 "--", "---", "--pool=", "--tail=-5"]  # fmt: skip
        flag = self.rng.choice(flags)
        value = self.rng.choice(["", " " + self.word(), "=" + self.word()])
        return f"{text} {flag}{value}"

    def _case(self, text: str) -> str:
        return text.upper() if self.rng.random() < 0.5 else text.swapcase()

    def huge(self) -> str:
        """Return a 40,000-character text: a command, padded with one of several fillers."""
        filler = self.rng.choice(["x", "训练", "a b ", "\u202e", "'", "--pool ", "\x00"])
        head = self.command() + " "
        return (head + filler * HUGE)[:HUGE]

    def mentions(self) -> str:
        """Return a text with thousands of mentions and channel links, some malformed."""
        shapes = ["<@U{:06d}|user{}>", "<#C{:06d}|chan{}>", "<@U{:06d}>{}", "<!subteam^S{}|{}>"]
        count = self.rng.choice([100, 1000, 3000])
        parts = [self.rng.choice(shapes).format(i, i) for i in range(count)]
        return self.rng.choice(
            ["role grant ", "subscribe job-1 --mention ", "link ", ""]
        ) + " ".join(parts)

    def brackets(self) -> str:
        """Return a text heavy with `<`, `>` and Slack's escapes of them."""
        # These found issue 12's quadratic normaliser: on the old `normalise`, `<` x 40,000 took
        # 294 s and `<@` x 4,000 3.8 s, stalling every request in flight. Now texts over the
        # command limit are refused before parsing, and parsing itself is linear.
        unit = self.rng.choice(["<", "&lt;", "<<>", "&lt;&gt;&amp;", "<@", "<http://x|"])
        return self.command() + " " + unit * self.rng.choice([10, 1000, HUGE // len(unit)])

    def noise(self) -> str:
        """Return random characters, printable or not."""
        alphabet = string.printable + "".join(_ODD) + "训练任务ジョブمرحبا"
        return "".join(self.rng.choice(alphabet) for _ in range(self.rng.randint(0, 400)))

    def quotes(self) -> str:
        """Return a command with unbalanced or typographic quotes."""
        text = self.command()
        for _ in range(self.rng.randint(1, 5)):
            at = self._at(text)
            text = text[:at] + self.rng.choice(_QUOTES) + text[at:]
        return text

    def word(self) -> str:
        """Return a random short word (ASCII, unicode, punctuation or empty)."""
        alphabet = self.rng.choice([string.ascii_letters + string.digits + "-_.", "".join(_ODD)])
        return "".join(self.rng.choice(alphabet) for _ in range(self.rng.randint(0, 12)))

    def json_text(self) -> str:
        """Return JSON, valid or not, shaped like a job spec."""
        spec: dict[str, Any] = {self.rng.choice(FORM_FIELDS): self.value() for _ in range(4)}
        text = json.dumps(spec, ensure_ascii=self.rng.random() < 0.5)
        return text if self.rng.random() < 0.7 else text[: self._at(text)]

    def value(self) -> Any:
        """Return a random value: a real reference, a mutated one, huge, not JSON, not a string."""
        pool, job = self.rng.choice(self.names.pool_ids), self.rng.choice(self.names.job_ids)
        choices: list[Callable[[], Any]] = [
            lambda: json.dumps({"pool": pool, "job": job}),
            lambda: json.dumps({"pool": pool, "job": job, "priority": self.word()}),
            lambda: json.dumps({"line": self.command(), "offset": self.rng.randint(-5, 10**7)}),
            lambda: json.dumps({"pool": self.word(), "job": [1, {"x": None}]}),
            lambda: json.dumps({"pool": pool, "job": job, "extra": "x" * 5000}),
            lambda: "x" * self.rng.choice([2001, 100_000]),
            lambda: "{" * self.rng.randint(1, 2000),
            lambda: "[" * 900 + "]" * 900,
            lambda: self.noise(),
            lambda: self.rng.randint(-(10**20), 10**20),
            lambda: None,
            lambda: "",
            lambda: str(self.rng.randint(-5, 10**6)),
        ]
        return self.rng.choice(choices)()
