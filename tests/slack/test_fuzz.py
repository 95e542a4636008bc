"""Arbitrary command text thrown at the running bot: never a 5xx, never a crash, a short answer."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.slack.commands.table import GRAMMAR
from tests.slack.harness import Stack, running_stack
from tests.slack.test_read_commands import seen

SPELLINGS = sorted(" ".join(s) for c in GRAMMAR.commands for s in c.spellings)
WORDS = st.sampled_from(["--pool", "--pod", "--tail", "--since", "--share", "--mine", "<!channel>"])
TEXT = st.one_of(
    st.text(max_size=200),
    st.builds(
        lambda command, words, rest: " ".join([command, *words, rest]),
        st.sampled_from(SPELLINGS),
        st.lists(st.one_of(WORDS, st.text(max_size=20)), max_size=5),
        st.text(max_size=40),
    ),
)


class Live:
    """The whole bot served from a loop in a background thread, for synchronous property tests."""

    def __init__(self, loop: asyncio.AbstractEventLoop, stack: Stack) -> None:
        self.loop = loop
        self.stack = stack

    def run(self, coroutine: Any) -> Any:
        """Run a coroutine on the bot's loop and wait for it."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=30)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """Start the stack once for every example of the property test."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    context = running_stack(tmp_path_factory.mktemp("fuzz"), aihc_default_pool="llm-a800-pool")
    stack = asyncio.run_coroutine_threadsafe(context.__aenter__(), loop).result(timeout=60)
    try:
        yield Live(loop, stack)
    finally:
        asyncio.run_coroutine_threadsafe(context.__aexit__(None, None, None), loop).result(60)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=TEXT)
def test_any_command_text_gets_a_short_answer(
    live: Live, caplog: pytest.LogCaptureFixture, text: str
) -> None:
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        response, key = live.run(live.stack.command(text))
        assert response.status_code == 200
        answer = live.run(live.stack.answer(key))
    shown_text = seen(answer)
    assert shown_text.strip()
    assert "Traceback" not in shown_text
    assert answer.response_type in ("ephemeral", "in_channel")
    assert len(answer.body.get("blocks") or []) <= 50
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
