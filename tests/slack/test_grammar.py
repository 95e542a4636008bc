"""The command grammar: one declaration gives parsing, usage lines and suggestions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import JobStatus, MetricType
from bot.slack.commands.grammar import ParseError, UnknownCommand, UsageError, normalise
from bot.slack.commands.table import GRAMMAR


@pytest.mark.parametrize(
    ("text", "command_id"),
    [
        ("", "help"),
        ("pools", "pool.list"),
        ("pool list", "pool.list"),
        ("POOL SHOW cce-1", "pool.show"),
        ("nodes", "pool.nodes"),
        ("queues --pool p", "queue.list"),
        ("jobs --mine", "job.list"),
        ("job list", "job.list"),
        ("job train-7", "job.show"),
        ("job show list", "job.show"),
        ("events j1 --pod worker-1", "job.events"),
        ("logs j1", "job.logs"),
        ("metrics j1 --type gpumemoryusage", "job.metrics"),
        ("job nodes j1", "job.nodes"),
        ("help logs", "help"),
    ],
)
def test_every_spelling_finds_its_command(text: str, command_id: str) -> None:
    assert GRAMMAR.parse(text).command.id == command_id


def test_arguments_are_converted() -> None:
    inv = GRAMMAR.parse('logs "my job" --tail 50 --since=2h --pod worker-1 --share')
    assert inv.args == {"job": "my job", "tail": 50, "since": timedelta(hours=2), "pod": "worker-1"}
    assert inv.share
    listing = GRAMMAR.parse("jobs --status failed --queue=team-a --mine")
    assert listing.args == {"status": JobStatus.FAILED, "queue": "team-a", "mine": True}
    assert GRAMMAR.parse("metrics j --type GPUUSAGE").args["type"] is MetricType.GPU_USAGE


def test_a_line_round_trips_with_an_argument_replaced() -> None:
    inv = GRAMMAR.parse("logs 'my job' --tail 5 --share")
    line = inv.line(job="pytorchjob-1")
    again = GRAMMAR.parse(line)
    assert again.args == {"job": "pytorchjob-1", "tail": 5}
    assert again.share


def test_slack_markup_and_typographic_quotes_are_undone() -> None:
    assert normalise("logs “my job” --pool a&amp;b") == 'logs "my job" --pool a&b'
    assert normalise("link <@U123ABC|alice> alice") == "link <@U123ABC> alice"
    assert normalise("job <http://evil.example|evil>") == "job evil"
    assert GRAMMAR.parse("job “my job”").args["job"] == "my job"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("pool show", "problem.missing"),
        ("logs j --tail ten", "problem.bad_count"),
        ("logs j --tail 0", "problem.bad_count"),
        ("logs j --since forever", "problem.bad_duration"),
        ("jobs --status sleeping", "problem.bad_status"),
        ("metrics j --type Temperature", "problem.bad_metric"),
        ("jobs --colour red", "problem.unknown_option"),
        ("logs j --pod", "problem.needs_value"),
        ("pool show a b", "problem.extra"),
    ],
)
def test_usage_errors_name_the_problem(text: str, problem: str) -> None:
    with pytest.raises(UsageError) as caught:
        GRAMMAR.parse(text)
    assert caught.value.problem == problem


def test_unknown_input_suggests_the_closest_command() -> None:
    with pytest.raises(UnknownCommand) as caught:
        GRAMMAR.parse("jbos --mine")
    assert caught.value.suggestion is not None
    assert caught.value.suggestion.id == "job.list"
    with pytest.raises(UnknownCommand) as nothing_close:
        GRAMMAR.parse("xyzzy")
    assert nothing_close.value.suggestion is None


def test_unclosed_quotes_are_a_parse_error() -> None:
    with pytest.raises(ParseError):
        GRAMMAR.parse('logs "my job')


def test_usage_lines_come_from_the_declaration() -> None:
    assert GRAMMAR.get("job.logs").usage == (
        "job logs <job> [--pod <pod>] [--tail <N>] [--since <10m>]"
        " [--queue <queue>] [--pool <pool>]"
    )


def outcome(text: str) -> tuple[str, object]:
    """Parse and say what came of it, as (kind, detail)."""
    try:
        invocation = GRAMMAR.parse(text)
    except UsageError as error:
        return error.problem, error.command
    except UnknownCommand as error:
        return "unknown", error.suggestion
    except ParseError as error:
        return str(error), None
    return "ok", invocation.command


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_or_fails_cleanly(text: str) -> None:
    kind, detail = outcome(text)
    assert kind in ("ok", "unknown") or kind.startswith("problem.")
    assert detail is None or detail in GRAMMAR.commands
