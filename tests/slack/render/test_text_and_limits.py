"""Escaping, truncation, alignment, and the validator that every renderer's output must pass."""

from __future__ import annotations

from typing import Any

import pytest

from bot.slack.render import escape, truncate, validate_message
from bot.slack.render.limits import text_len
from bot.slack.render.text import code, display_width, table


def test_escape_defuses_mentions_links_and_ampersands() -> None:
    assert escape("<!channel> <@U123> <http://evil|click> a & b") == (
        "&lt;!channel&gt; &lt;@U123&gt; &lt;http://evil|click&gt; a &amp; b"
    )


def test_escape_does_not_double_escape_what_looks_like_an_entity() -> None:
    assert escape("&lt;") == "&amp;lt;"


def test_truncate_keeps_short_text() -> None:
    assert truncate("short", 10) == "short"


def test_truncate_ends_with_an_ellipsis_within_the_limit() -> None:
    cut = truncate("x" * 200, 150)
    assert cut.endswith("…")
    assert text_len(cut) == 150


def test_truncate_never_leaves_half_an_entity() -> None:
    text = escape("a" * 8 + "&&&&&")
    for limit in range(8, len(text)):
        cut = truncate(text, limit)
        body = cut.removesuffix("…")
        assert body.count("&") == body.count(";"), cut


def test_truncate_counts_emoji_as_slack_does_and_never_splits_one() -> None:
    cut = truncate("😀" * 100, 11)
    assert cut == "😀" * 5 + "…"
    assert text_len(cut) == 11


def test_code_spans_cannot_be_closed_by_a_backtick_in_the_name() -> None:
    assert code("a`b\nc") == "`aˋb c`"


def test_table_aligns_cjk_by_display_width() -> None:
    lines = table([("名称", "x"), ("训练任务", "y"), ("ab", "z")], (20, 5))
    columns = {display_width(line[: len(line) - 1]) for line in lines}
    assert columns == {display_width("训练任务  ")}


def test_table_cuts_long_cells_with_an_ellipsis() -> None:
    lines = table([("n" * 50, "ok")], (10, 5))
    assert lines == ["nnnnnnnnn…  ok"]


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def button(action_id: str, value: str = "v", text: str = "Go") -> dict[str, Any]:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": action_id,
        "value": value,
    }


@pytest.mark.parametrize(
    ("blocks", "problem"),
    [
        ([section("x")] * 51, "51 blocks > 50"),
        ([section("x" * 3001)], "3001 chars > 3000"),
        ([section("")], "empty text"),
        ([{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}], "more than 10"),
        ([{"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}], "> 2000"),
        ([{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}], "> 150"),
        ([{"type": "header", "text": {"type": "mrkdwn", "text": "h"}}], "bad text type"),
        ([{"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}], "1 to 10"),
        ([{"type": "actions", "elements": [button("a"), button("a")]}], "duplicate 'a'"),
        ([{"type": "actions", "elements": [button("a" * 256)]}], "longer than 255"),
        ([{"type": "actions", "elements": [button("a", value="v" * 2001)]}], "longer than 2000"),
        ([{"type": "actions", "elements": [button("a", text="t" * 76)]}], "> 75"),
        ([{"type": "actions", "elements": [button(str(i)) for i in range(26)]}], "1 to 25"),
        ([{"type": "image", "image_url": "x"}], "unknown block type"),
        ([{**section("x"), "block_id": "b" * 256}], "longer than 255"),
        ([{**section("x"), "block_id": "b"}, {**section("y"), "block_id": "b"}], "duplicate"),
        ([{"type": "section", "text": "raw string"}], "not a text object"),
        (
            [
                {
                    "type": "rich_text",
                    "elements": [
                        {
                            "type": "rich_text_preformatted",
                            "elements": [{"type": "text", "text": "l" * 3001}],
                        }
                    ],
                }
            ],
            "3001 chars > 3000",
        ),
        ([], "no blocks"),
    ],
)
def test_validate_message_names_each_broken_limit(
    blocks: list[dict[str, Any]], problem: str
) -> None:
    problems = validate_message(blocks)
    assert any(problem in p for p in problems), problems


def test_validate_message_allows_100_blocks_in_a_modal_only() -> None:
    blocks = [section("x")] * 100
    assert validate_message(blocks, modal=True) == []
    assert validate_message(blocks) != []


def test_validate_message_checks_confirm_dialogs_and_selects() -> None:
    select = {
        "type": "static_select",
        "action_id": "s",
        "options": [{"text": {"type": "plain_text", "text": "o"}, "value": "v" * 151}],
        "confirm": {
            "title": {"type": "plain_text", "text": "t" * 101},
            "text": {"type": "mrkdwn", "text": "sure?"},
            "confirm": {"type": "plain_text", "text": "Yes"},
            "deny": {"type": "plain_text", "text": "No"},
        },
    }
    problems = validate_message([{"type": "actions", "elements": [select]}])
    assert any("longer than 150" in p for p in problems)
    assert any("confirm.title" in p for p in problems)
