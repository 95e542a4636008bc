"""Help, usage errors, unknown input, choices, errors and notices."""

from __future__ import annotations

import re

import pytest

from bot.slack.commands.table import GRAMMAR
from bot.slack.i18n import Lang
from bot.slack.ids import ActionId
from bot.slack.render import (
    aihc_error_blocks,
    ambiguous_prompt,
    choice_blocks,
    fallback_text,
    help_blocks,
    no_pool_blocks,
    not_found_blocks,
    notice_blocks,
    unexpected_error_blocks,
    unknown_command_blocks,
    usage_blocks,
)
from tests.slack.render.visible import HOSTILE, assert_safe, mrkdwn, shown

LANGS: tuple[Lang, ...] = ("en", "zh")
CHOOSE = re.compile("^aihc\\.choose")


@pytest.mark.parametrize("lang", LANGS)
def test_help_lists_every_command_grouped_with_short_forms_and_share(lang: Lang) -> None:
    blocks = help_blocks(GRAMMAR.commands, lang=lang)
    assert_safe(blocks)
    text = shown(blocks)
    for usage in (
        "/aihc pool list",
        "/aihc pool nodes [<pool>]",
        "/aihc queue show <queue> [--pool <pool>]",
        "/aihc job list [--pool <pool>] [--queue <queue>] [--status <status>] [--mine]",
        "/aihc job metrics <job> [--type <GpuUsage>] [--since <1h>] [--chart]"
        " [--queue <queue>] [--pool <pool>]",
        "/aihc help [<command>]",
    ):
        assert usage in text
    for short in (
        "pools",
        "nodes",
        "queues",
        "jobs",
        "job <job>",
        "events <job>",
        "logs <job>",
        "metrics <job>",
    ):
        assert f"`/aihc {short}`" in text
    assert "--share" in text
    assert ("Jobs" if lang == "en" else "任务") in text


@pytest.mark.parametrize("command", [c.id for c in GRAMMAR.commands])
def test_help_for_one_command_shows_its_usage_and_summary(command: str) -> None:
    blocks = help_blocks(GRAMMAR.commands, lang="en", command=GRAMMAR.get(command))
    assert_safe(blocks)
    assert len(blocks) == 2
    assert "/aihc " in shown(blocks)


def test_help_for_logs_in_chinese() -> None:
    text = shown(help_blocks(GRAMMAR.commands, lang="zh", command=GRAMMAR.get("job.logs")))
    assert "/aihc job logs <job> [--pod <pod>] [--tail <N>] [--since <10m>]" in text
    assert "日志" in text


def test_usage_error_names_the_problem_and_the_usage() -> None:
    blocks = usage_blocks(
        GRAMMAR.get("job.logs"), "--tail wants a number, not <!channel>", lang="en"
    )
    assert_safe(blocks)
    text = shown(blocks)
    assert "--tail wants a number, not <!channel>" in text
    assert "Usage: `/aihc job logs <job>" in text


def test_unknown_input_suggests_the_closest_command_with_its_usage() -> None:
    blocks = unknown_command_blocks("jbo lsit <@U123>", GRAMMAR.get("job.list"), lang="en")
    assert_safe(blocks)
    text = shown(blocks)
    assert "I don't understand `jbo lsit <@U123>`." in text
    assert "Did you mean `/aihc job list [--pool <pool>]" in text
    assert "`/aihc help` lists every command." in text


def test_unknown_input_without_a_suggestion_points_to_help() -> None:
    blocks = unknown_command_blocks("```", None, lang="zh")
    assert_safe(blocks)
    assert "`/aihc help` 列出所有命令" in shown(blocks)
    assert "你是想" not in shown(blocks)


def test_choices_are_buttons_the_app_can_match() -> None:
    options = [(f"llama ({i})", f'{{"job":"pytorchjob-{i}"}}', None) for i in range(30)]
    blocks = choice_blocks(ambiguous_prompt("job", "llama", lang="en"), options, lang="en")
    assert_safe(blocks)
    assert "More than one job matches “llama”" in shown(blocks)
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert len(buttons) == 30
    assert all(CHOOSE.match(b["action_id"]) for b in buttons)
    assert buttons[3]["action_id"] == f"{ActionId.CHOOSE}:3"
    assert len({b["action_id"] for b in buttons}) == 30
    assert buttons[3]["value"] == '{"job":"pytorchjob-3"}'


def test_too_many_choices_are_cut_and_counted() -> None:
    options = [("x" * 100, "v", None)] * 120
    blocks = choice_blocks("<!channel>", options, lang="zh")
    assert_safe(blocks)
    assert "… 另有 70 个" in shown(blocks)


@pytest.mark.parametrize("lang", LANGS)
def test_aihc_errors_show_code_and_request_id(lang: Lang) -> None:
    blocks = aihc_error_blocks("AccessDenied", "denied <@U1>", "req-123", lang=lang)
    assert_safe(blocks)
    text = shown(blocks)
    assert "AccessDenied" in text
    assert "req-123" in text
    assert "denied <@U1>" in text


@pytest.mark.parametrize("lang", LANGS)
def test_unexpected_errors_show_the_error_id(lang: Lang) -> None:
    blocks = unexpected_error_blocks("e-7f3a", lang=lang)
    assert_safe(blocks)
    assert "`e-7f3a`" in shown(blocks)


@pytest.mark.parametrize("lang", LANGS)
def test_no_pool_explains_the_three_ways_to_name_one(lang: Lang) -> None:
    blocks = no_pool_blocks(lang=lang)
    assert_safe(blocks)
    text = shown(blocks)
    assert "--pool <pool>" in text
    assert "/aihc config pool <pool>" in text
    assert "AIHC_DEFAULT_POOL" in text


@pytest.mark.parametrize("kind", ["pool", "queue", "job", "pod"])
def test_not_found_names_the_kind_and_the_reference(kind: str) -> None:
    blocks = not_found_blocks(kind, "<!channel>", lang="en")  # type: ignore[arg-type]
    assert_safe(blocks)
    assert f"{kind} `<!channel>`" in shown(blocks) or "pool" in shown(blocks)
    assert "没有找到" in shown(not_found_blocks(kind, "x", lang="zh"))  # type: ignore[arg-type]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_notices_and_fallback_text_are_escaped(hostile: str) -> None:
    blocks = notice_blocks(f"*Subscribed* {hostile}")
    assert_safe(blocks)
    assert "*Subscribed*" in mrkdwn(blocks)
    assert "<" not in fallback_text(blocks)
    assert fallback_text(blocks)
