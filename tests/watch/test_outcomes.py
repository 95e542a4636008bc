"""The delivery state machine and the notice kinds are each one table, complete and documented."""

from __future__ import annotations

from pathlib import Path

from bot.store import OutboxState
from bot.watch.kinds import POLICY, NoticeKind
from bot.watch.outcomes import STEPS, Outcome, markdown_table, next_state

README = Path(__file__).parents[2] / "README.md"


def test_every_outcome_has_a_step_and_the_readme_shows_the_table_the_code_runs() -> None:
    assert set(STEPS) == set(Outcome)
    assert markdown_table() in README.read_text(encoding="utf-8")


def test_a_message_in_doubt_stays_in_doubt_until_a_lookup_or_a_post_settles_it() -> None:
    doubt = OutboxState.SENDING
    assert next_state(doubt, Outcome.LOOKUP_FAILED) is doubt
    assert next_state(doubt, Outcome.WAITING) is doubt
    assert next_state(doubt, Outcome.LEASE_SHORT) is doubt
    assert next_state(doubt, Outcome.DELIVERED) is OutboxState.SENT
    # Only a refusal Slack itself gave (it did not act) makes a message surely undelivered.
    assert [o for o in Outcome if next_state(doubt, o) is OutboxState.PENDING] == [
        Outcome.THROTTLED
    ]


def test_every_notice_kind_has_a_policy_and_only_edits_skip_the_channels_order() -> None:
    assert set(POLICY) == set(NoticeKind)
    assert {kind for kind, policy in POLICY.items() if not policy.ordered} == {
        NoticeKind.CARD_UPDATE
    }
    assert all(POLICY[kind].threaded for kind, policy in POLICY.items() if policy.broadcast)
