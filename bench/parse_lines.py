"""How long normalising and parsing one command line takes, at 1k, 10k and 40k characters.

Run by hand: `.venv/bin/python bench/parse_lines.py [--runs 20]`. The figures it prints go in the
README. Each text shape is one a hostile or careless person could send: Slack mentions, `<` with
no `>`, escaped markup, one long quoted word. Parsing runs before the acknowledgement, so every
figure here is time the event loop cannot answer anyone else.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import time
from collections.abc import Callable

from bot.slack.commands.grammar import ParseError, UnknownCommand
from bot.slack.commands.table import GRAMMAR

SIZES = (1_000, 10_000, 40_000)


def _fill(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


SHAPES: dict[str, Callable[[int], str]] = {
    "mentions": lambda n: "jobs " + _fill("<@U123ABC|alice> ", n - 5),
    "open <": lambda n: _fill("<", n),
    "open <a": lambda n: _fill("<a", n),
    "escaped &lt;": lambda n: _fill("&lt;a|", n),
    "links": lambda n: "job " + _fill("<http://x.example/a|x> ", n - 4),
    "quoted word": lambda n: 'logs "' + _fill("a", n - 7) + '"',
    "words": lambda n: "job show " + _fill("w ", n - 9),
}


def parse_once(text: str) -> float:
    """Normalise and parse `text` once; return milliseconds."""
    started = time.perf_counter()
    with contextlib.suppress(ParseError, UnknownCommand):
        GRAMMAR.parse(text)
    return (time.perf_counter() - started) * 1000


def main() -> None:
    """Print the median and worst time per shape and size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    print(f"{'shape':<14}" + "".join(f"{n:>22,}" for n in SIZES))
    for name, make in SHAPES.items():
        cells = []
        for size in SIZES:
            text = make(size)
            times = [parse_once(text) for _ in range(runs)]
            cells.append(f"{statistics.median(times):8.2f} / {max(times):6.2f} ms")
        print(f"{name:<14}" + "".join(f"{cell:>22}" for cell in cells))


if __name__ == "__main__":
    main()
