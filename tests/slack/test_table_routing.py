"""The grammar table is the only router: forms, private answers and card buttons are declared
on the command, and the dispatcher follows the declaration."""

from __future__ import annotations

import pytest

from bot.slack.commands.actions import ACTION_HANDLERS
from bot.slack.commands.dispatch import Dispatcher
from bot.slack.commands.grammar import Command, Grammar, Param
from bot.slack.commands.table import GRAMMAR
from bot.slack.ids import ActionId, CallbackId


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("job create", True),
        ("JOB   create --pool p", True),
        ('job create {"name": "x"}', False),
        ("queue create team-x", True),
        ("queue update team-x --pool p", True),
        ("queue update team-x --deserved cpu=1", False),
        ("job stop j1", False),
    ],
)
def test_a_command_opens_its_form_only_without_settings(text: str, form: bool) -> None:
    assert GRAMMAR.parse(text).wants_form is form


def test_a_json_spec_is_taken_as_typed_even_with_quotes_a_shell_would_choke_on() -> None:
    spec = '{"name": "it\'s-mine", "command": "python -c \'print(1)\'"}'
    invocation = GRAMMAR.parse(f"job create {spec}")
    assert invocation.command.id == "job.create"
    assert invocation.get("spec") == spec


def test_the_table_declares_forms_private_answers_confirms_and_card_buttons() -> None:
    assert GRAMMAR.get("job.create").form == CallbackId.JOB_CREATE
    assert GRAMMAR.get("job.terminal").private
    assert {c.id: c.confirm for c in GRAMMAR.commands if c.confirm} == {
        "job.stop": "stop",
        "job.delete": "delete",
        "job.priority": "priority",
    }
    buttons = {c.button: c.id for c in GRAMMAR.commands if c.button}
    assert buttons == {
        ActionId.STOP_JOB: "job.stop",
        ActionId.SET_PRIORITY: "job.priority",
        ActionId.SHOW_LOGS: "job.logs",
        ActionId.SHOW_EVENTS: "job.events",
        ActionId.REFRESH: "job.show",
        ActionId.SHOW_CHART: "job.metrics",
    }
    assert GRAMMAR.get("job.metrics").button_flags == ("chart",)


def test_a_form_without_a_handler_is_caught_when_the_bot_is_built() -> None:
    clone = Command("job.clone", ("job", "clone"), (Param("job", required=True),), form="x.clone")
    with pytest.raises(ValueError, match=r"x\.clone"):
        Dispatcher(Grammar((clone,)), {})
    # A command that always opens its form needs no handler of its own.
    Dispatcher(Grammar((clone,)), {"x.clone": ACTION_HANDLERS["job.stop"]})
