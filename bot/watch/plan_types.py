"""What planning one watched job reads and writes: its inputs, context and plan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.insight.causes import Rule
from bot.insight.health import Health
from bot.store.tables import SubscriptionRow
from bot.watch import notices as n
from bot.watch.looks import LookConfig


@dataclass
class Context:
    """What planning needs besides the row: the time, the interval and the cause rules."""

    now: datetime
    interval: float
    rules: tuple[Rule, ...] = ()
    tail_lines: int = 20
    looks: LookConfig | None = None
    """How often running jobs are looked at; None: never."""


@dataclass(frozen=True)
class Channel:
    """A channel that follows the job: its subscription, its card and whether the card is out."""

    sub: SubscriptionRow
    card_id: int
    card_out: bool
    """The card's first post is made or queued, so changes edit it instead."""


@dataclass(frozen=True)
class Series:
    """What is stored of one warning event series: its count and how much was told."""

    occurrences: int = 0
    told: int = 0


@dataclass(frozen=True)
class Inputs:
    """Everything planning reads from the store about one watched job."""

    job_id: str
    pool_id: str
    job_name: str = ""
    queue_name: str = ""
    last_status: str | None = None
    news: bool = False
    """The job appeared after a queue or pool subscription began (not part of its baseline)."""
    channels: tuple[Channel, ...] = ()
    series: Mapping[str, Series] = field(default_factory=dict)
    linked: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Slack users linked to the job's AIHC creator, by workspace."""
    health: Health = field(default_factory=Health)
    """What the last looks found, as stored."""
    status_changed_at: datetime | None = None


@dataclass(frozen=True)
class SeriesWrite:
    """One event series to store: its fields, and its new told count when a notice tells it."""

    key: str
    values: dict[str, Any]
    told: int | None = None


@dataclass
class Plan:
    """The row's new values, the series to store and the notices, to commit together."""

    values: dict[str, Any]
    notices: list[n.Notice] = field(default_factory=list)
    series: list[SeriesWrite] = field(default_factory=list)
