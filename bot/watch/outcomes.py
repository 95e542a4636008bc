"""The delivery state machine of an outbox row, written once as a table.

A row is PENDING (never tried, or surely not delivered), SENDING (an attempt may have landed: the
outcome is in doubt), or done: SENT, DROPPED (a newer edit of its card made it redundant) or DEAD
(given up, with its reason). Every attempt is counted when it starts, a post or edit by
`mark_sending` and a history lookup by `count_attempt`, in a committed write before the call; the
table says whether the outcome lets that count stand. Every path either moves the row towards a
done state or counts an attempt, except those that wait on something outside the row, each
bounded: a throttle (Slack did not act, and said when to come back), a wait behind an older message
of the channel or the card's first post, the channel's pace, and a lease too short to start a call;
and no row waits longer than `MAX_AGE` in all. A row in
doubt is only ever posted again after a lookup that answered and did not find it.

`STEPS` is the table; the README shows it as `markdown_table()` renders it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from bot.store import OutboxState

MAX_AGE = timedelta(hours=1)
"""A message not delivered within this long after it was queued is given up."""


class Outcome(StrEnum):
    """How one turn of a row's delivery ended."""

    DELIVERED = "delivered"
    SUPERSEDED = "superseded"
    THROTTLED = "throttled"
    IN_DOUBT = "in_doubt"
    LOOKUP_FAILED = "lookup_failed"
    REJECTED = "rejected"
    CHANNEL_GONE = "channel_gone"
    PAUSED = "paused"
    WAITING = "waiting"
    PACED = "paced"
    LEASE_SHORT = "lease_short"
    EXHAUSTED = "exhausted"
    CARD_LOST = "card_lost"


@dataclass(frozen=True)
class Step:
    """Where an outcome takes a row (None: its state is unchanged) and whether the try counts."""

    state: OutboxState | None
    counts: bool
    what: str


STEPS: dict[Outcome, Step] = {
    Outcome.DELIVERED: Step(
        OutboxState.SENT, True, "Slack took the post or edit, or a lookup found the message"
    ),
    Outcome.SUPERSEDED: Step(
        OutboxState.DROPPED, False, "a newer edit of the card is queued or already shown"
    ),
    Outcome.THROTTLED: Step(
        OutboxState.PENDING, False, "Slack answered 429 to the post or edit: it did not act"
    ),
    Outcome.IN_DOUBT: Step(
        OutboxState.SENDING, True, "no answer (lost connection, 5xx, timeout): it may have landed"
    ),
    Outcome.LOOKUP_FAILED: Step(
        OutboxState.SENDING, True, "the lookup of a row in doubt failed, was throttled or timed out"
    ),
    Outcome.REJECTED: Step(
        OutboxState.DEAD, True, "Slack refused the message, or the history lookup, for good"
    ),
    Outcome.CHANNEL_GONE: Step(
        OutboxState.DEAD, True, "the channel is archived or removed the bot: it pauses"
    ),
    Outcome.PAUSED: Step(OutboxState.DEAD, False, "every subscription of the channel is paused"),
    Outcome.WAITING: Step(
        None, False, "an older post of the channel, an edit in flight or the card's post goes first"
    ),
    Outcome.PACED: Step(
        None, False, "the channel had a post less than `WATCH_PACE_SECONDS` ago: later, not now"
    ),
    Outcome.LEASE_SHORT: Step(None, False, "too little lease is left to start a call safely"),
    Outcome.EXHAUSTED: Step(
        OutboxState.DEAD, False, "`WATCH_MAX_ATTEMPTS` tries made, or older than `MAX_AGE`"
    ),
    Outcome.CARD_LOST: Step(
        OutboxState.DEAD, False, "the card's first post is dead: nothing to edit or reply under"
    ),
}


def next_state(state: OutboxState, outcome: Outcome) -> OutboxState:
    """Return the state a row in `state` moves to after `outcome`."""
    return STEPS[outcome].state or state


def markdown_table() -> str:
    """Render the state machine as the README shows it."""
    lines = ["| outcome | what happened | next state | the try counts |", "|---|---|---|---|"]
    for outcome, step in STEPS.items():
        state = step.state.value.upper() if step.state else "unchanged"
        lines.append(f"| `{outcome}` | {step.what} | {state} | {'yes' if step.counts else 'no'} |")
    return "\n".join(lines)
