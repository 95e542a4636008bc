"""Job creation keys: one Slack request, one clientToken and label, whatever the retries."""

from __future__ import annotations

from bot.aihc.once import TOKEN as AIHC_TOKEN
from bot.services.actions import client_token


def test_the_same_slack_request_gives_the_same_token() -> None:
    first = client_token("T1", "U1", "V123")
    assert first == client_token("T1", "U1", "V123")
    assert AIHC_TOKEN.match(first)


def test_another_request_user_or_workspace_gives_another_token() -> None:
    tokens = {
        client_token("T1", "U1", "V123"),
        client_token("T1", "U1", "V124"),
        client_token("T1", "U2", "V123"),
        client_token("T2", "U1", "V123"),
        client_token("T1", "U1V", "123"),
    }
    assert len(tokens) == 5


def test_a_huge_or_hostile_request_key_still_makes_a_valid_token() -> None:
    assert AIHC_TOKEN.match(client_token("T1", "U1", "{" * 100_000 + "\n<!channel>"))
