"""Normalising, splitting and suggesting run in time linear in the text, whatever it holds.

No timed assertion: the scanner is linear by construction (each character is looked at a bounded
number of times). These tests pin its output, form by form and against the old definitions on
short texts, and guard against a hang on long hostile texts with a generous bound.
"""

from __future__ import annotations

import asyncio
import re
import shlex
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.slack.commands.grammar import ParseError, UnknownCommand, normalise, tokenize
from bot.slack.commands.table import GRAMMAR

HANG_GUARD = 10.0
"""Seconds after which a call counts as hung: the linear code takes milliseconds on these texts,
the old regex took 12-28 s on 40,000 `<` and `shlex` ~25 s on one 1,300,000-character word."""
LONG = 40_000
HUGE = 1_300_000
"""Characters of the texts `tokenize` is tried on: its cost per character is tiny."""

# The definitions this module replaces, kept as the reference on short texts.
_OLD_LINK = re.compile(r"<([@#!][^>|]+)(?:\|[^>]*)?>|<([^>|@#!][^>|]*)(?:\|([^>]*))?>")


def _old_unwrap(match: re.Match[str]) -> str:
    if match.group(1):
        return f"<{match.group(1)}>"
    return match.group(3) or match.group(2)


def _old_normalise(text: str) -> str:
    for escaped, plain in (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")):
        text = text.replace(escaped, plain)
    quotes = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'"})
    return _OLD_LINK.sub(_old_unwrap, text.translate(quotes)).strip()


async def _finishes(call: Callable[[], Any]) -> Any:
    """Run `call` in a thread; fail if it has not returned within the hang guard."""
    return await asyncio.wait_for(asyncio.to_thread(call), HANG_GUARD)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("link <@U123ABC|alice> alice", "link <@U123ABC> alice"),
        ("<@U1>", "<@U1>"),
        ("in <#C1|general>", "in <#C1>"),
        ("in <#C1>", "in <#C1>"),
        ("<!here> jobs", "<!here> jobs"),
        ("<!subteam^S1|@team>", "<!subteam^S1>"),
        ("mail <mailto:a@b.c|a@b.c>", "mail a@b.c"),
        ("job <http://evil.example|evil>", "job evil"),
        ("job <http://x>", "job http://x"),
        ("job <http://x|>", "job http://x"),
        ("a &lt;b&gt; &amp;lt; c", "a b &lt; c"),
        ("x &lt;@U1|y&gt;", "x <@U1>"),
        ("<@> <|x> <> <@|x>", "<@> <|x> <> <@|x>"),
        ("<a <b|c>", "c"),
        ("< unclosed", "< unclosed"),
        ("logs “my job” ‘x’", "logs \"my job\" 'x'"),
        ("  jobs  ", "jobs"),
    ],
)
def test_every_slack_markup_form_normalises_exactly(text: str, expected: str) -> None:
    assert normalise(text) == expected
    assert _old_normalise(text) == expected


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="<>|@#!ab &lt;gmp:“ \n", max_size=40))
def test_normalise_agrees_with_the_old_definition(text: str) -> None:
    assert normalise(text) == _old_normalise(text)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab '\"\\\t\n", max_size=30))
def test_tokenize_splits_like_a_posix_shell(text: str) -> None:
    try:
        expected: list[str] | None = shlex.split(text)
    except ValueError:
        expected = None
    if expected is None:
        with pytest.raises(ParseError):
            tokenize(text)
    else:
        assert tokenize(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "<" * LONG,
        "<a" * (LONG // 2),
        "<|" * (LONG // 2) + ">",
        "<@U1|x" * (LONG // 6),
        "<@U123ABC|alice> " * (LONG // 17),
        "&lt;" * (LONG // 4),
        "&lt;a|" * (LONG // 6),
    ],
    ids=["lt", "lt-a", "lt-bar-one-close", "open-mentions", "mentions", "escaped-lt", "esc-lt-a"],
)
async def test_long_hostile_text_is_normalised_and_parsed(text: str) -> None:
    normal = await _finishes(lambda: normalise(text))
    assert len(normal) <= len(text)
    with pytest.raises((ParseError, UnknownCommand)):
        await _finishes(lambda: GRAMMAR.parse(text))


@pytest.mark.parametrize(
    "text",
    ["a" * HUGE, '"' + "a" * HUGE + '"', "\\a" * (HUGE // 2), "'a" * (HUGE // 2)],
    ids=["word", "double-quoted", "escapes", "single-quotes"],
)
async def test_long_tokens_are_split(text: str) -> None:
    try:
        tokens = await _finishes(lambda: tokenize(text))
    except ParseError:
        return
    assert sum(map(len, tokens)) <= len(text)


async def test_suggestions_on_huge_words_compare_only_a_bounded_prefix() -> None:
    word = "jbos" + "x" * LONG
    suggestion = await _finishes(lambda: GRAMMAR.suggest([word, word, *[word] * 1000]))
    assert suggestion is None or suggestion.id
    assert GRAMMAR.suggest(["jbos", "y" * LONG]) is not None
    close = GRAMMAR.suggest(["jbos"])
    assert close is not None
    assert close.id == "job.list"
