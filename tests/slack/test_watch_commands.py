"""The watching commands parse like every other: usage on bad input, help in both languages."""

from __future__ import annotations

from tests.slack.harness import WANG, Stack


async def test_bad_watching_arguments_get_a_usage_line(stack: Stack) -> None:
    bad_mention = await stack.ask("subscribe some-job --mention everyone")
    assert "`everyone` is not `owner` or a @mention" in bad_mention.text + str(bad_mention.body)
    bad_what = await stack.ask("subscribe some-job status,metrics")
    assert "status, events, logs, progress, hang, idle, pending" in str(bad_what.body)
    bad_on = await stack.ask("subscribe some-job --on Sleeping")
    assert "not a job status" in str(bad_on.body)
    bad_duration = await stack.ask("mute some-job forever")
    assert "not a duration" in str(bad_duration.body)


async def test_help_lists_the_watching_commands_in_both_languages(stack: Stack) -> None:
    english = str((await stack.ask("help")).body)
    assert "Watching" in english
    assert "subscribe queue" in english
    chinese = str((await stack.ask("help", user=WANG)).body)
    assert "订阅" in chinese
    usage = str((await stack.ask("help subscribe")).body)
    assert "--on" in usage
    assert "--mention" in usage
