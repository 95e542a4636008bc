"""A fake Slack on loopback and slack_sdk clients pointed at it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.workspace import FakeSlack

ClientFactory = Callable[..., AsyncWebClient]


class ManualClock:
    """A clock that moves only when told, for pacing and timestamps."""

    def __init__(self, start: float = 1_750_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        self.now += seconds


@pytest.fixture
def fake(slack: FakeSlack) -> FakeSlack:
    """The fake Slack under test (the shared `slack` fixture): channel C0001, user U0001."""
    return slack


@pytest.fixture
def client(fake: FakeSlack) -> ClientFactory:
    """Build slack_sdk clients for the fake (default retry handlers unless given)."""

    def build(
        token: str | None = None, retry_handlers: list[AsyncRetryHandler] | None = None
    ) -> AsyncWebClient:
        return AsyncWebClient(
            base_url=fake.api_url, token=token or fake.token, retry_handlers=retry_handlers
        )

    return build
